import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { VERDICTS } from '../../triage/model';
import type { Verdict } from '../../triage/model';

/** 1-5 in VERDICTS order, or the first letter: u(ntriaged) b(enign) f(alse positive) s(uspicious) m(alicious). */
export const VERDICT_SHORTCUTS: Readonly<Record<string, Verdict>> = {
  '1': 'untriaged',
  '2': 'benign',
  '3': 'false_positive',
  '4': 'suspicious',
  '5': 'malicious',
  u: 'untriaged',
  b: 'benign',
  f: 'false_positive',
  s: 'suspicious',
  m: 'malicious',
};

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function verdictForKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'repeat'>): Verdict | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return null;
  return Object.hasOwn(VERDICT_SHORTCUTS, event.key.toLowerCase()) ? VERDICT_SHORTCUTS[event.key.toLowerCase()] : null;
}

/**
 * Keyboard verdicts for the selected hit(s). Ignored while a text field or select has focus
 * (typing "m" in notes must not mark a hit malicious) and, when `scopes` are given, unless focus
 * is inside one of them (the table, the detail pane).
 */
export function useVerdictShortcuts(
  onVerdict: (verdict: Verdict) => void,
  options: { enabled?: boolean; scopes?: readonly RefObject<HTMLElement | null>[] } = {},
): void {
  const { enabled = true, scopes } = options;
  const handler = useRef(onVerdict);
  const scopesRef = useRef(scopes);
  useEffect(() => {
    handler.current = onVerdict;
    scopesRef.current = scopes;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTyping(event.target)) return;
      const verdict = verdictForKey(event);
      if (verdict === null || !VERDICTS.includes(verdict)) return;
      const inScope = scopesRef.current;
      if (inScope && inScope.length > 0) {
        const target = event.target instanceof Node ? event.target : null;
        if (!inScope.some((r) => r.current !== null && target !== null && r.current.contains(target))) return;
      }
      event.preventDefault();
      handler.current(verdict);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
