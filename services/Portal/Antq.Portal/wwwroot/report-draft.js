// The report form's unsaved input, kept in the browser's own storage (localStorage) so that it survives what the
// server cannot keep: the portal replica holding the circuit lost, a reconnect, a reload. Recorded here, in the
// browser, on every keystroke (also while the circuit is down); restored and cleared by ReportForm.razor.
// A draft: { version: the report's version the input was made on (0: no report yet), at: ms, values: {code: text},
// narrative: {code: text} }.

function read(key) {
  try { return JSON.parse(localStorage.getItem(key) ?? "null"); } catch { return null; }
}

function write(key, draft) {
  try {
    if (Object.keys(draft.values).length === 0 && Object.keys(draft.narrative).length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(draft));
  } catch { /* storage full or refused: the server's autosave still runs */ }
}

const tracked = new WeakMap();
const versions = new Map();

/** Records every input of the form under key, as made on the report's version. */
export function track(form, key, version) {
  if (!form) return;
  versions.set(key, version);
  const previous = tracked.get(form);
  if (previous) form.removeEventListener("input", previous);
  const record = e => {
    const field = e.target;
    if (!field?.name || field.disabled) return;
    const draft = read(key) ?? { version: versions.get(key) ?? version, values: {}, narrative: {} };
    (field.tagName === "TEXTAREA" ? draft.narrative : draft.values)[field.name] = field.value;
    draft.at = Date.now();
    write(key, draft);
  };
  // Input only (a select fires it too): a change event comes again on leaving a field, after the autosave may have
  // saved and forgotten its value, and would keep it as unsaved.
  form.addEventListener("input", record);
  tracked.set(form, record);
  form.dataset.draftTracked = "true"; // what is typed from now on is kept (the browser tests wait for it before typing)
}

/** The draft kept under key, as JSON (null when none). */
export function load(key) {
  const draft = read(key);
  return draft ? JSON.stringify(draft) : null;
}

/**
 * A save reached the service: the entries it carried are forgotten unless typed again since, and what is left was
 * made on the saved version. Returns whether anything is left.
 */
export function saved(key, version, values, narrative) {
  versions.set(key, version);
  const draft = read(key);
  if (!draft) return false;
  for (const [code, text] of Object.entries(values ?? {})) if (draft.values[code] === text) delete draft.values[code];
  for (const [code, text] of Object.entries(narrative ?? {})) if (draft.narrative[code] === text) delete draft.narrative[code];
  draft.version = version;
  write(key, draft);
  return read(key) !== null;
}

/** Forgets the draft (submitted, discarded, or replaced by an uploaded form). */
export function forget(key) {
  try { localStorage.removeItem(key); } catch { /* nothing kept */ }
}
