/**
 * Saves text as a file through the browser's download, with nothing sent anywhere: a Blob, an
 * object URL and a temporary `<a download>`. The URL is revoked after the click has been
 * handled (revoking synchronously cancels the download in some browsers).
 */
export function downloadText(filename: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
