/**
 * Which profile read each file and why, where each canonical field comes from, and what the hunt
 * will not see, shown as soon as files are chosen (from the worker's 256 KiB preview) and replaced
 * by the run's own account once it finishes. The analyst can pick another profile or another
 * column for a field and re-run; the choice is remembered for exports with the same header.
 */
import { useState } from 'react';
import type { FileStats } from '../../engine/types';
import { allProfiles } from '../../profiles';
import type { MappingChoice, PreviewFile, PreviewResponse } from '../../worker/protocol';
import { VisibleText } from '../Text';
import { visibleText } from '../visibleText';
import { rememberMapping } from './remember';
import './mapping.css';

export interface MappingPanelProps {
  preview: PreviewResponse | null;
  /** The finished run's per-file account (the truth once there); null before. */
  files: FileStats[] | null;
  /** Source fields the hunt's query reads, listed first in the field table. */
  huntFields: readonly string[];
  running: boolean;
  /** Re-run with this mapping (null: forget the remembered one and detect again). */
  onApply(choice: MappingChoice | null): void;
}

const NOT_MAPPED = '';
const RULE = '\u0000rule';
/**
 * Up to this many source columns every select lists them all. Past it only the select in use does
 * (the others just their value): fields × columns <option>s crashed the tab on a 10,000-column file.
 */
const FULL_LIST_MAX = 300;

function profileLabel(id: string | null): string {
  if (id === null) return 'no profile';
  return allProfiles.find((p) => p.id === id)?.label ?? id;
}

interface FileView {
  name: string;
  profileId: string | null;
  reason: string | null;
  mapping: Record<string, string>;
  missing: string[];
  preview: PreviewFile | null;
}

function views(preview: PreviewResponse | null, files: FileStats[] | null): FileView[] {
  const previews = preview?.files ?? [];
  if (files && files.length > 0) {
    return files.map((f) => ({
      name: f.name,
      profileId: f.profileId,
      reason: f.profileReason,
      mapping: f.mapping,
      missing: f.missingFields,
      preview: previews.find((p) => p.name === f.name || p.entry === f.name) ?? previews[0] ?? null,
    }));
  }
  return previews.map((p) => ({ name: p.name, profileId: p.profileId, reason: p.reason, mapping: p.mapping, missing: p.missingFields, preview: p }));
}

export function MappingPanel({ preview, files, huntFields, running, onApply }: MappingPanelProps) {
  const list = views(preview, files);
  if (list.length === 0 && (preview?.errors.length ?? 0) === 0) return null;
  return (
    <section className="mapping-panel" data-testid="mapping-panel" aria-label="Field mapping">
      {list.map((f, i) => (
        <FileMapping key={`${i}:${f.name}:${f.preview?.signature ?? ''}:${f.preview?.source ?? ''}:${JSON.stringify(f.preview?.choice ?? {})}`} view={f} huntFields={huntFields} running={running} multi={list.length > 1} onApply={onApply} />
      ))}
      {preview?.errors.map((e) => (
        <div key={e.name} className="mapping-file mapping-error" role="alert">
          <VisibleText text={e.name} />: could not preview ({e.message})
        </div>
      ))}
    </section>
  );
}

function FileMapping({ view, huntFields, running, multi, onApply }: { view: FileView; huntFields: readonly string[]; running: boolean; multi: boolean; onApply(choice: MappingChoice | null): void }) {
  const p = view.preview;
  const columns = p?.columns ?? [];
  const initialProfile = p && p.source !== 'detected' ? (p.choice.profileId ?? '') : '';
  const [profile, setProfile] = useState(initialProfile);
  const [draft, setDraft] = useState<Record<string, string>>(() => ({ ...(p?.choice.profileOverrides ?? {}) }));
  const [activeField, setActiveField] = useState<string | null>(null);
  // A wide export maps thousands of fields: the table is built only while it is open.
  const [tableOpen, setTableOpen] = useState(false);
  const columnSet = new Set(columns);
  const huntSet = new Set(huntFields);
  const fields = [...huntFields, ...Object.keys(view.mapping).filter((f) => !huntSet.has(f)).sort()];
  const missing = new Set(view.missing);
  const dirty = profile !== initialProfile || JSON.stringify(draft) !== JSON.stringify(p?.choice.profileOverrides ?? {});

  const apply = () => {
    const choice: MappingChoice = {};
    if (profile) choice.profileId = profile;
    if (Object.keys(draft).length > 0) choice.profileOverrides = draft;
    if (p) rememberMapping(p.signature, choice);
    onApply(choice);
  };
  const reset = () => {
    if (p) rememberMapping(p.signature, null);
    setProfile('');
    setDraft({});
    onApply(null);
  };

  return (
    <div className="mapping-file" data-testid="mapping-file" data-profile={view.profileId ?? ''}>
      <div className="mapping-summary">
        <span className="mapping-name mono">
          <VisibleText text={view.name} />
        </span>
        <span aria-hidden="true"> → </span>
        <strong data-testid="mapping-profile-name">{profileLabel(view.profileId)}</strong>
        {view.reason && (
          <span className="muted small" data-testid="mapping-reason">
            {' '}
            · <VisibleText text={view.reason} />
          </span>
        )}
        {p && p.source === 'remembered' && <span className="mapping-tag" title="Chosen earlier for exports with these columns">remembered mapping</span>}
        {p && p.source === 'chosen' && <span className="mapping-tag">your mapping</span>}
      </div>
      {view.missing.length > 0 && (
        <div className="mapping-missing" data-testid="mapping-missing" role="note">
          Missing for this hunt: <span className="mono">{view.missing.join(', ')}</span> — clauses on them are not evaluated. Map a column below if the export has one.
        </div>
      )}
      <details className="mapping-details" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary data-testid="mapping-edit">Fields and columns ({Object.keys(view.mapping).length} mapped)</summary>
        <div className="mapping-controls">
          <label>
            Profile{' '}
            <select data-testid="mapping-profile" value={profile} onChange={(e) => setProfile(e.target.value)} disabled={running}>
              <option value="">detect ({profileLabel(p?.profileId ?? view.profileId)})</option>
              {allProfiles.map((pr) => (
                <option key={pr.id} value={pr.id}>
                  {pr.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button primary small-button" data-testid="mapping-apply" disabled={running || !dirty} onClick={apply}>
            Apply and re-run
          </button>
          <button type="button" className="link-button" data-testid="mapping-reset" disabled={running} onClick={reset}>
            Back to the detected mapping
          </button>
          {multi && <span className="muted small">A choice applies to every file of the run.</span>}
        </div>
        {tableOpen && (
          <table className="mapping-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Source column</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field) => {
                const bound = view.mapping[field];
                const chosen = draft[field];
                const isColumn = bound !== undefined && columnSet.has(bound);
                const value = chosen ?? (bound === undefined ? NOT_MAPPED : isColumn ? bound : RULE);
                const listed = columns.length <= FULL_LIST_MAX || activeField === field ? columns : columnSet.has(value) ? [value] : [];
                return (
                  <tr key={field} className={missing.has(field) ? 'mapping-row-missing' : huntSet.has(field) ? 'mapping-row-hunt' : undefined} data-field={field}>
                    <th scope="row" className="mono">
                      {field}
                      {huntSet.has(field) && <span className="muted small" title="The hunt reads this field"> ●</span>}
                    </th>
                    <td>
                      <select
                        data-testid={`mapping-select-${field}`}
                        aria-label={`Source column for ${field}`}
                        value={value}
                        disabled={running || columns.length === 0}
                        // Before the list opens (pointer) or the arrow keys move (focus).
                        onPointerEnter={() => setActiveField(field)}
                        onFocus={() => setActiveField(field)}
                        onChange={(e) => {
                          const v = e.target.value;
                          setDraft((cur) => {
                            const next = { ...cur };
                            if (v === RULE || v === NOT_MAPPED) delete next[field];
                            else next[field] = v;
                            return next;
                          });
                        }}
                      >
                        <option value={NOT_MAPPED}>{bound === undefined ? '— not mapped —' : '— (profile default) —'}</option>
                        {bound !== undefined && !isColumn && <option value={RULE}>{`rule: ${bound}`}</option>}
                        {listed.map((c) => (
                          <option key={c} value={c}>
                            {visibleText(c)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </details>
    </div>
  );
}
