import { useState } from 'react';
import { parseBundle } from '../../triage/export';
import type { TriageBundle } from '../../triage/export';
import { routeBundles } from '../../triage/review';

export interface BundleInputProps {
  /** `triage.session?.key ?? null`: a single bundle of this session restores it. */
  currentKey: string | null;
  /** One bundle of the current hunt + export: restore it (`triage.restore(bundle)`). */
  onRestore(bundle: TriageBundle): void;
  /** Anything else (several bundles, or one of another export): show `ReviewView`. */
  onReview(bundles: TriageBundle[]): void;
}

/** Opens triage bundles: to resume on this machine, or to review several analysts' work. */
export function BundleInput({ currentKey, onRestore, onReview }: BundleInputProps) {
  const [errors, setErrors] = useState<string[]>([]);

  async function open(files: File[]) {
    const bundles: TriageBundle[] = [];
    const problems: string[] = [];
    for (const file of files) {
      const result = parseBundle(await file.text());
      if (result.ok) bundles.push(result.bundle);
      else problems.push(`${file.name}: ${result.error}`);
    }
    setErrors(problems);
    const route = routeBundles(bundles, currentKey);
    if (route.kind === 'restore') onRestore(route.bundle);
    else if (route.kind === 'review') onReview(route.bundles);
  }

  return (
    <div className="triage-bundle-input">
      <label>
        Open triage bundle(s){' '}
        <input
          type="file"
          data-testid="bundle-input"
          multiple
          accept=".json,application/json"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            // Cleared so picking the same file again fires change again.
            e.target.value = '';
            void open(files);
          }}
        />
      </label>
      {errors.length > 0 && (
        <ul className="triage-error" role="alert" data-testid="bundle-error">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
