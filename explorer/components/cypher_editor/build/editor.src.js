// The console's Cypher editor: CodeMirror 6, highlighting with the legacy Cypher mode, completion from the
// schema policykg passes in (labels, relationship types, properties, the named parameters), a schema panel
// whose names insert at the cursor, Ctrl/Cmd+Enter to run. It talks to Streamlit with the component
// protocol written out by hand (no streamlit-component-lib): componentReady, render, setComponentValue,
// setFrameHeight. Bundled by build.sh into ../frontend/editor.js; nothing is fetched at run time.
//
// Python -> editor (the render event's args): value and revision (the text, replaced only when the revision
// moves: a suggestion taken, a query from the history), schema {labels: {Label: [props]}, relationships:
// {TYPE: [props]}}, params [names], marks [{from, to, message}] (an error's place), words {…}, height.
// Editor -> Python (the component's value): {text, cursor, revision, seq, run}; seq grows with every send,
// run is true when Ctrl/Cmd+Enter asked for the query to run.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, defaultHighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { cypher } from "@codemirror/legacy-modes/mode/cypher";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState, Prec } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from "@codemirror/view";

const KEYWORDS = [
  "MATCH", "OPTIONAL MATCH", "WHERE", "RETURN", "WITH", "UNWIND", "AS", "ORDER BY", "SKIP", "LIMIT", "DISTINCT",
  "AND", "OR", "XOR", "NOT", "IN", "IS NULL", "IS NOT NULL", "STARTS WITH", "ENDS WITH", "CONTAINS", "CASE",
  "WHEN", "THEN", "ELSE", "END", "ASC", "DESC", "UNION", "UNION ALL", "EXISTS", "COUNT", "NULL", "TRUE", "FALSE",
];
const FUNCTIONS = [
  "count", "collect", "sum", "avg", "min", "max", "size", "length", "nodes", "relationships", "labels", "type",
  "id", "keys", "properties", "coalesce", "toLower", "toUpper", "toString", "toInteger", "toFloat", "trim",
  "substring", "replace", "split", "head", "last", "range", "shortestPath", "startNode", "endNode", "abs", "round",
];

let view = null;
let revision = null;
let schema = { labels: {}, relationships: {} };
let params = [];
let seq = 0;
let timer = null;
let lastSent = null;
let height = 0;

function post(type, fields) {
  window.parent.postMessage({ isStreamlitMessage: true, type, ...fields }, "*");
}

function send(run) {
  clearTimeout(timer);
  timer = null;
  if (!view) return;
  const text = view.state.doc.toString();
  const cursor = view.state.selection.main.head;
  if (!run && lastSent && lastSent.text === text && lastSent.cursor === cursor) return;
  seq = Math.max(seq + 1, Date.now());  // grows across reloads of the frame too
  lastSent = { text, cursor };
  post("streamlit:setComponentValue", { value: { text, cursor, revision, seq, run: !!run }, dataType: "json" });
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(() => send(false), 300);
}

// ------------------------------------------------------------------------------------------ completion

function innermostBracket(text) {
  // the innermost bracket still open before the cursor, strings and comments skipped
  const stack = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === "`") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return "string";
      i = end;
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      if (end < 0) return "comment";
      i = end;
    } else if ("([{".includes(c)) stack.push(c);
    else if (")]}".includes(c)) stack.pop();
  }
  return stack.length ? stack[stack.length - 1] : "";
}

function labelsOf(variable, text) {
  // the labels or types the query gives a variable: (a:Agency …), [r:LEADS …], a:Agency in WHERE
  const found = new Set();
  const escaped = variable.replace(/[^\w]/g, "");
  const pattern = new RegExp(`(?:^|[^\\w.])${escaped}\\s*:\\s*([A-Za-z_][\\w|:]*)`, "g");
  for (const match of text.matchAll(pattern)) {
    for (const name of match[1].split(/[|:]/)) if (name) found.add(name);
  }
  return [...found];
}

function propertiesFor(names) {
  const props = new Set();
  for (const name of names) {
    for (const p of schema.labels[name] || schema.relationships[name] || []) props.add(p);
  }
  if (!props.size) {  // a variable of no known label: every property of the schema
    for (const list of [...Object.values(schema.labels), ...Object.values(schema.relationships)]) {
      for (const p of list) props.add(p);
    }
  }
  return [...props].sort();
}

function options(names, type, detail) {
  return names.map((label) => ({ label, type, detail }));
}

function complete(context) {
  const text = context.state.doc.sliceString(0, context.pos);
  const words = window.policykgWords || {};
  const param = context.matchBefore(/\$[\w]*$/);
  if (param) return { from: param.from + 1, options: options(params, "variable", words.parameter), validFor: /^\w*$/ };
  const colon = context.matchBefore(/:\s*[\w]*$/);
  if (colon) {
    const bracket = innermostBracket(text.slice(0, colon.from));
    if (bracket === "{" || bracket === "string" || bracket === "comment") return null;
    const from = colon.from + colon.text.search(/[\w]|$/);
    const names = bracket === "[" ? Object.keys(schema.relationships) : Object.keys(schema.labels);
    const type = bracket === "[" ? "type" : "class";
    return { from, options: options(names, type, bracket === "[" ? words.relationship : words.label),
             validFor: /^\w*$/ };
  }
  const dot = context.matchBefore(/([A-Za-z_]\w*)\.\w*$/);
  if (dot) {
    const variable = dot.text.split(".")[0];
    const names = labelsOf(variable, context.state.doc.toString());
    return { from: dot.from + variable.length + 1, options: options(propertiesFor(names), "property", names.join("|")),
             validFor: /^\w*$/ };
  }
  const word = context.matchBefore(/[A-Za-z_]\w*$/);
  if (!word && !context.explicit) return null;
  const bracket = innermostBracket(text);
  if (bracket === "string" || bracket === "comment") return null;
  return {
    from: word ? word.from : context.pos,
    options: [...options(KEYWORDS, "keyword"), ...FUNCTIONS.map((f) => ({ label: f, type: "function", apply: f }))],
    validFor: /^\w*$/,
  };
}

// ------------------------------------------------------------------------------------------ the schema panel

function insertAtCursor(name) {
  if (!view) return;
  const { from, to } = view.state.selection.main;
  view.dispatch({ changes: { from, to, insert: name }, selection: { anchor: from + name.length }, scrollIntoView: true });
  view.focus();
  send(false);
}

function chip(name, title) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "chip";
  button.textContent = name;
  button.title = title || "";
  button.dataset.name = name;
  button.addEventListener("click", (event) => {
    event.preventDefault();  // a label's name in its summary inserts; the triangle beside it opens its properties
    insertAtCursor(name);
  });
  return button;
}

function section(heading, table, words) {
  const box = document.createElement("div");
  box.className = "section";
  const h = document.createElement("div");
  h.className = "heading";
  h.textContent = heading;
  box.appendChild(h);
  for (const name of Object.keys(table)) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.appendChild(chip(name, words.insert));
    details.appendChild(summary);
    const props = document.createElement("div");
    props.className = "props";
    for (const p of table[name]) props.appendChild(chip(p, words.insert));
    details.appendChild(props);
    box.appendChild(details);
  }
  return box;
}

function drawPanel(words) {
  const panel = document.getElementById("schema");
  panel.replaceChildren();
  const title = document.createElement("div");
  title.className = "title";
  title.textContent = words.schema || "";
  panel.appendChild(title);
  panel.appendChild(section(words.labels || "", schema.labels, words));
  panel.appendChild(section(words.relationships || "", schema.relationships, words));
  if (params.length) {
    const box = document.createElement("div");
    box.className = "section";
    const h = document.createElement("div");
    h.className = "heading";
    h.textContent = words.parameters || "";
    box.appendChild(h);
    for (const p of params) box.appendChild(chip("$" + p, words.insert));
    panel.appendChild(box);
  }
}

// ------------------------------------------------------------------------------------------ the editor

function makeEditor(text, words) {
  const runKeys = Prec.highest(keymap.of([
    { key: "Mod-Enter", run: () => { send(true); return true; } },
  ]));
  view = new EditorView({
    parent: document.getElementById("editor"),
    state: EditorState.create({
      doc: text,
      extensions: [
        runKeys,
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        closeBrackets(),
        StreamLanguage.define(cypher),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        autocompletion({ override: [complete], activateOnTyping: true, icons: false }),
        lintGutter(),
        placeholder(words.placeholder || ""),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
        EditorView.lineWrapping,
        EditorView.updateListener.of((update) => { if (update.docChanged) later(); }),
        EditorView.domEventHandlers({ blur: () => { send(false); } }),
      ],
    }),
  });
  window.policykgView = view;  // for the browser tests
}

function showMarks(marks) {
  if (!view) return;
  const length = view.state.doc.length;
  const diagnostics = (marks || []).map((m) => ({
    from: Math.min(Math.max(0, m.from), length),
    to: Math.min(Math.max(m.from, m.to), length),
    severity: m.severity || "error",
    message: m.message || "",
  }));
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

function render(args, theme) {
  const words = args.words || {};
  window.policykgWords = words;
  schema = args.schema || schema;
  params = args.params || [];
  if (theme && theme.font) document.body.style.fontFamily = theme.font;
  document.getElementById("hint").textContent = words.run_hint || "";
  if (!view) {
    makeEditor(args.value || "", words);
    revision = args.revision;
  } else if (args.revision !== revision) {  // Python changed the text: a suggestion, a query from the history
    revision = args.revision;
    const text = args.value || "";
    if (text !== view.state.doc.toString()) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text },
                      selection: { anchor: Math.min(args.cursor ?? text.length, text.length) } });
    }
    lastSent = { text, cursor: view.state.selection.main.head };
  }
  drawPanel(words);
  showMarks(args.marks);
  const wanted = (args.height || 300) + 28;
  if (wanted !== height) {
    height = wanted;
    document.getElementById("root").style.height = `${args.height || 300}px`;
    post("streamlit:setFrameHeight", { height });
  }
}

window.addEventListener("message", (event) => {
  if (event.data && event.data.type === "streamlit:render") render(event.data.args || {}, event.data.theme);
});
post("streamlit:componentReady", { apiVersion: 1 });
