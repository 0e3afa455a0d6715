// The review page of `summarizer serve`: open a model output next to its source, correct it, and
// save it as a gold example. Plain DOM code, no framework and no build step.
//
// Safety rule: text from articles, model output and eval sets only ever reaches the page through
// textContent, .value or .title — never innerHTML. The page's CSP (script-src 'self', Trusted
// Types required) makes any HTML sink throw, so a slip would fail loudly rather than run a script.
"use strict";

(() => {
  const KEY_STORAGE = "summarizer.review.key";
  const ENTITY_FIELDS = {
    people: [
      ["name_as_written", "zh", "姓名 · name as written", true],
      ["name_en", "en", "Name (pinyin, surname first)"],
      ["role_as_written", "zh", "职务 · titles as written", false, true],
      ["role_en", "en", "Titles in English (separate with ;)", false, true],
      ["organization_en", "en", "Organization", false, true],
    ],
    organizations: [
      ["name_as_written", "zh", "名称 · as written", true],
      ["name_en", "en", "Name in English"],
    ],
    places: [
      ["name_as_written", "zh", "地名 · as written", true],
      ["name_en", "en", "Name in English"],
    ],
    events: [
      ["date_as_written", "zh", "日期 · as written"],
      ["date_iso", "en", "YYYY-MM-DD"],
      ["description_en", "en", "What happened", false, true],
    ],
  };

  const DEFAULT_POLL_SECONDS = 120;

  const state = {
    key: sessionStorage.getItem(KEY_STORAGE) || "",
    opening: 0, // counts opens: only the latest one keeps polling
    pollLimit: DEFAULT_POLL_SECONDS, // seconds (see pollLimitSeconds)
    session: null, // ReviewSession
    openAfterKey: false, // the addressed job (?job=) was refused for want of a key
    output: null, // ReviewOutput being reviewed
    source: null, // the article as pasted (null when opened from the store)
    original: null, // the editable fields as the model wrote them
    paragraphOffsets: [],
    evidenceNodes: [], // key point index -> source spans of its evidence
    selected: -1,
    savedChanges: "[]", // the changes as last saved (JSON), to warn before losing new ones
    // repair kinds not marked: script conversions (traditional to simplified) are many and
    // rarely wrong, so they start hidden; the legend toggles every kind
    hiddenKinds: new Set(["script"]),
  };

  const $ = (id) => document.getElementById(id);

  /** An element with text content only: `el("td", {className: "x", lang: "zh"}, "text", node)`. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (name === "dataset") Object.assign(node.dataset, value);
      else node[name] = value; // properties only (className, lang, title, value, type...)
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function setStatus(message, kind = "info") {
    const status = $("status");
    status.textContent = message;
    status.dataset.kind = kind;
  }

  // --- HTTP

  class ApiError extends Error {
    constructor(message, status, kind) {
      super(message);
      this.status = status;
      this.kind = kind;
    }
  }

  async function api(method, path, body) {
    const headers = {};
    if (state.key) headers.Authorization = "Bearer " + state.key;
    const init = { method, headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const type = response.headers.get("content-type") || "";
    const data = type.includes("application/json") ? await response.json() : null;
    if (!response.ok) {
      const detail = data && data.error ? data.error : { kind: "http", message: "" };
      const message = detail.message || `HTTP ${response.status}`;
      throw new ApiError(message, response.status, detail.kind);
    }
    return { data, response };
  }

  function explain(error) {
    if (!(error instanceof ApiError)) return String(error && error.message ? error.message : error);
    if (error.status === 401) return `Refused: ${error.message}. Enter an API key above.`;
    if (error.status === 403) return `Refused: ${error.message}.`;
    return error.message;
  }

  // --- session (key)

  async function loadSession() {
    const session = $("session");
    try {
      const { data } = await api("GET", "/v1/review/session");
      state.session = data;
      session.textContent = `as ${data.name}` + (data.read_only ? " · read-only" : "");
      session.dataset.kind = data.read_only ? "warn" : "ok";
    } catch (error) {
      state.session = null;
      session.textContent = error.status === 401 ? "no valid key" : explain(error);
      session.dataset.kind = "error";
    }
    updateSaveAbility();
    refreshSetNames();
  }

  function updateSaveAbility() {
    const button = $("save-button");
    const readOnly = Boolean(state.session && state.session.read_only);
    button.disabled = !state.session || readOnly;
    const hint = $("save-status");
    if (readOnly) {
      hint.textContent = "This key is read-only: it can open results but not save examples.";
      hint.dataset.kind = "warn";
    } else if (!state.session) {
      hint.textContent = "Saving needs an API key that can write.";
      hint.dataset.kind = "warn";
    } else if (hint.dataset.kind === "warn") {
      hint.textContent = "";
      hint.dataset.kind = "";
    }
  }

  // --- opening an output

  async function summarizePasted(event) {
    event.preventDefault();
    const text = $("article").value;
    if (!text.trim()) {
      setStatus("Paste an article first.", "error");
      return;
    }
    const articleId = $("article-id").value.trim() || "article";
    setStatus("Summarizing…");
    try {
      const { data, response } = await api("POST", "/v1/summaries", { text, id: articleId });
      const jobId =
        response.status === 202 ? data.id : (response.headers.get("Location") || "").split("/").pop();
      await openOutput(jobId, null, text);
    } catch (error) {
      setStatus(explain(error), "error");
    }
  }

  async function openResult(event) {
    event.preventDefault();
    const jobId = $("job-id").value.trim();
    if (!jobId) {
      setStatus("Give a summary id (sum_…) or a batch id.", "error");
      return;
    }
    const articleId = $("job-article-id").value.trim() || null;
    setStatus("Opening…");
    state.openAfterKey = false; // opened by hand: the address no longer decides
    try {
      await openOutput(jobId, articleId, null);
    } catch (error) {
      setStatus(explain(error), "error");
    }
  }

  async function listArticles() {
    const jobId = $("job-id").value.trim();
    if (!jobId) {
      setStatus("Give a batch id first.", "error");
      return;
    }
    try {
      const { data } = await api("GET", `/v1/review/outputs/${encodeURIComponent(jobId)}/articles`);
      const list = $("job-articles");
      list.replaceChildren(...data.articles.map((a) => el("option", { value: a.id, label: a.status })));
      const more = data.truncated ? " (the first ones)" : "";
      setStatus(`${data.articles.length} finished articles${more}: pick one in “Article id”.`, "ok");
      $("job-article-id").focus();
    } catch (error) {
      setStatus(explain(error), "error");
    }
  }

  /** How long the page polls a job that has not ended: `?wait=SECONDS` (1 to 3600), else 120. */
  function pollLimitSeconds() {
    const asked = Number(new URLSearchParams(location.search).get("wait"));
    return Number.isFinite(asked) && asked >= 1 && asked <= 3600 ? asked : DEFAULT_POLL_SECONDS;
  }

  const pending = (status) => status === "queued" || status === "running";

  async function openOutput(jobId, articleId, source) {
    const opening = ++state.opening; // a later open (or leaving) ends this one's polling
    const query = articleId ? `?article_id=${encodeURIComponent(articleId)}` : "";
    const path = `/v1/review/outputs/${encodeURIComponent(jobId)}${query}`;
    const started = Date.now();
    let output = (await api("GET", path)).data;
    while (pending(output.status)) {
      const waited = Math.floor((Date.now() - started) / 1000);
      if (waited >= state.pollLimit) {
        setStatus(
          `Stopped waiting for ${jobId}: still ${output.status} after ${waited} s. ` +
            "Open it again later with “Open a result”.",
          "warn",
        );
        return;
      }
      setStatus(`Waiting for ${jobId} (${output.status}, ${waited} s; giving up after ${state.pollLimit} s)…`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (opening !== state.opening) return;
      output = (await api("GET", path)).data;
    }
    if (opening !== state.opening) return;
    if (output.status !== "ok" || !output.result) {
      const detail = output.error ? `${output.error.kind}: ${output.error.message}` : output.status;
      setStatus(`No summary to review (${detail}).`, "error");
      return;
    }
    showOutput(output, source);
    const params = new URLSearchParams({ job: output.job_id, article: output.article_id });
    history.replaceState(null, "", `?${params}`);
    setStatus(`Opened ${output.job_id} / ${output.article_id}.`, "ok");
  }

  // --- rendering

  function editableFields(result) {
    return JSON.parse(
      JSON.stringify({
        headline_en: result.headline_en,
        summary_en: result.summary_en,
        key_points: result.key_points,
        people: result.people,
        organizations: result.organizations,
        places: result.places,
        events: result.events,
        topics: result.topics,
        translation: result.translation,
      }),
    );
  }

  function showOutput(output, source) {
    state.output = output;
    state.source = source;
    state.original = editableFields(output.result);
    state.selected = -1;
    state.savedChanges = "[]";
    renderOrigin(output);
    renderParagraphs(output.result);
    renderEditor(state.original);
    paintSource();
    $("example-id").value = output.article_id;
    $("save-status").textContent = "";
    $("save-status").dataset.kind = "";
    updateSaveAbility();
    updateChanges();
    $("review").hidden = false;
    $("review").scrollIntoView({ block: "start" });
  }

  /** Whether the input was an HTML page: the source shown (and every offset) is then its
   *  extracted article text, repaired, not the markup. */
  const fromHtml = (source) => source.warnings.some((w) => w.code === "html_extracted");

  function renderOrigin(output) {
    const meta = output.result.meta;
    const source = output.result.source;
    const parts = [
      ["job", `${output.job_id} / ${output.article_id}`],
      ["engine", meta.engine + (meta.model ? ` · ${meta.model}` : "")],
      ["prompt", meta.prompt_version ? `${meta.prompt_template || "?"} ${meta.prompt_version}` : "—"],
      ["input", `${source.language} · ${source.script} · ${source.encoding}` + (fromHtml(source) ? " · text extracted from HTML" : "")],
      ["repairs", String(source.repairs.length)],
    ];
    $("origin").replaceChildren(
      ...parts.map(([name, value]) => el("span", { className: "chip" }, el("b", {}, name), " ", value)),
    );
    const notes = [...source.warnings.map((w) => w.message)];
    for (const [field, why] of Object.entries(meta.status || {})) notes.push(`${field}: ${why}`);
    const warnings = $("warnings");
    warnings.replaceChildren();
    if (notes.length) {
      warnings.append(
        el(
          "details",
          {},
          el("summary", {}, `${notes.length} note${notes.length === 1 ? "" : "s"} on the input and output`),
          el("ul", {}, ...notes.map((note) => el("li", {}, note))),
        ),
      );
    }
  }

  function renderParagraphs(result) {
    const text = result.source.normalized_text;
    const paragraphs = result.source.paragraphs;
    let cursor = 0;
    state.paragraphOffsets = paragraphs.map((paragraph) => {
      const at = text.indexOf(paragraph, cursor);
      if (at < 0) return -1;
      cursor = at + paragraph.length;
      return at;
    });
    const translated = result.translation ? result.translation.paragraphs_en : [];
    const rows = Math.max(paragraphs.length, translated.length);
    const body = $("paragraphs");
    body.replaceChildren();
    for (let i = 0; i < rows; i++) {
      const sourceCell = el("td", { className: "source", lang: "zh" });
      sourceCell.dataset.paragraph = String(i);
      const translation = el("textarea", {
        className: "translation",
        lang: "en",
        value: translated[i] || "",
        placeholder: result.translation ? "(no translation for this paragraph)" : "No translation in this output: write one to add it to the gold example.",
        ariaLabel: `Translation of paragraph ${i + 1}`,
      });
      body.append(el("tr", {}, el("td", { className: "num" }, String(i + 1)), sourceCell, el("td", {}, translation)));
    }
    renderLegend(result.source.repairs);
  }

  function repairClass(kind) {
    return "rep-" + String(kind).replace(/[^A-Za-z0-9_-]/g, "").slice(0, 40);
  }

  function describeRepair(repair) {
    const arrow = repair.replacement ? `“${repair.original}” → “${repair.replacement}”` : `removed “${repair.original}”`;
    const doubt = repair.certain ? "" : " (inferred, not certain)";
    return `${repair.kind}: ${arrow}${doubt}${repair.note ? ` — ${repair.note}` : ""}`;
  }

  function renderLegend(repairs) {
    const counts = new Map();
    for (const repair of repairs) counts.set(repair.kind, (counts.get(repair.kind) || 0) + 1);
    const uncertain = repairs.filter((r) => !r.certain).length;
    const items = [...counts].map(([kind, count]) => {
      const toggle = el(
        "button",
        { type: "button", className: `rep ${repairClass(kind)}`, title: `Show or hide the ${count} “${kind}” repairs` },
        `${kind.replace(/_/g, " ")} ${count}`,
      );
      toggle.setAttribute("aria-pressed", String(!state.hiddenKinds.has(kind)));
      toggle.addEventListener("click", () => {
        if (state.hiddenKinds.has(kind)) state.hiddenKinds.delete(kind);
        else state.hiddenKinds.add(kind);
        toggle.setAttribute("aria-pressed", String(!state.hiddenKinds.has(kind)));
        paintSource();
      });
      return el("li", {}, toggle);
    });
    if (uncertain) items.push(el("li", {}, el("span", { className: "rep rep-uncertain" }, `not certain ${uncertain}`)));
    items.push(el("li", {}, el("span", { className: "ev-sample" }, "key point evidence")));
    $("repair-legend").replaceChildren(...items);
  }

  /** Where an evidence span is in the text: exact, else ignoring whitespace; null if absent. */
  function locate(text, evidence) {
    if (!evidence || !evidence.trim()) return null;
    const exact = text.indexOf(evidence);
    if (exact >= 0) return { start: exact, end: exact + evidence.length };
    const positions = [];
    let compact = "";
    for (let i = 0; i < text.length; i++) {
      if (!/\s/.test(text[i])) {
        compact += text[i];
        positions.push(i);
      }
    }
    const needle = evidence.replace(/\s+/g, "");
    const at = compact.indexOf(needle);
    if (at < 0 || !needle) return null;
    return { start: positions[at], end: positions[at + needle.length - 1] + 1 };
  }

  /** Fill the source cells: repairs marked, evidence spans of the current key points linked. */
  function paintSource() {
    const result = state.output.result;
    const text = result.source.normalized_text;
    const points = readKeyPoints();
    const spans = points.map((point) => locate(text, point.evidence));
    state.evidenceNodes = points.map(() => []);
    const cells = $("paragraphs").querySelectorAll("td.source");
    result.source.paragraphs.forEach((paragraph, index) => {
      const cell = cells[index];
      const offset = state.paragraphOffsets[index];
      if (offset < 0) {
        cell.replaceChildren(el("span", {}, paragraph));
        return;
      }
      cell.replaceChildren(...paragraphPieces(paragraph, offset, result.source.repairs, spans));
    });
    document.querySelectorAll("#key-points li").forEach((item, index) => {
      item.querySelector(".kp-missing").hidden = Boolean(spans[index]) || !points[index].evidence;
    });
    if (state.selected >= 0) highlight(state.selected, false);
  }

  function paragraphPieces(paragraph, offset, repairs, spans) {
    const end = offset + paragraph.length;
    const local = repairs
      .filter((r) => r.normalized_end >= offset && r.normalized_start <= end && !state.hiddenKinds.has(r.kind))
      .map((r) => ({ repair: r, start: Math.max(0, r.normalized_start - offset), end: Math.min(paragraph.length, r.normalized_end - offset) }));
    const ranged = local.filter((r) => r.end > r.start);
    const marks = local.filter((r) => r.repair.normalized_end === r.repair.normalized_start);
    const evidence = spans
      .map((span, k) => (span && span.end > offset && span.start < end ? { k, start: Math.max(0, span.start - offset), end: Math.min(paragraph.length, span.end - offset) } : null))
      .filter(Boolean);
    const cuts = new Set([0, paragraph.length]);
    for (const r of ranged) cuts.add(r.start).add(r.end);
    for (const m of marks) cuts.add(m.start);
    for (const e of evidence) cuts.add(e.start).add(e.end);
    const points = [...cuts].sort((a, b) => a - b);
    const nodes = [];
    for (let i = 0; i < points.length; i++) {
      const at = points[i];
      for (const mark of marks.filter((m) => m.start === at)) {
        const classes = `rep-mark ${repairClass(mark.repair.kind)}` + (mark.repair.certain ? "" : " rep-uncertain");
        nodes.push(el("span", { className: classes, title: describeRepair(mark.repair) }));
      }
      if (i === points.length - 1) break;
      const next = points[i + 1];
      const piece = el("span", {}, paragraph.slice(at, next));
      const covering = ranged.filter((r) => r.start <= at && r.end >= next);
      if (covering.length) {
        piece.classList.add("rep", repairClass(covering[0].repair.kind));
        if (covering.some((r) => !r.repair.certain)) piece.classList.add("rep-uncertain");
        piece.title = covering.map((r) => describeRepair(r.repair)).join("\n");
      }
      const linked = evidence.filter((e) => e.start <= at && e.end >= next).map((e) => e.k);
      if (linked.length) {
        piece.classList.add("ev");
        piece.dataset.kp = linked.join(" ");
        for (const k of linked) state.evidenceNodes[k].push(piece);
      }
      nodes.push(piece);
    }
    return nodes;
  }

  function highlight(index, scroll = true) {
    state.selected = index;
    for (const node of document.querySelectorAll(".ev-active")) node.classList.remove("ev-active");
    document.querySelectorAll("#key-points li").forEach((item, i) => item.classList.toggle("selected", i === index));
    const nodes = state.evidenceNodes[index] || [];
    for (const node of nodes) node.classList.add("ev-active");
    if (scroll && nodes.length) reveal(nodes[0], document.querySelector(".reading"));
    if (scroll && !nodes.length) setStatus(`The evidence of key point ${index + 1} is not in the source.`, "error");
  }

  /** Scroll `node` to the middle of its column (and the columns into view) without moving the
   *  other column; on narrow screens, where columns do not scroll, scroll the page instead. */
  function reveal(node, column) {
    if (column.scrollHeight <= column.clientHeight) {
      node.scrollIntoView({ block: "center", behavior: "smooth" });
      return;
    }
    const review = $("review");
    const top = review.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 3) review.scrollIntoView({ block: "start" });
    const offset = node.getBoundingClientRect().top - column.getBoundingClientRect().top;
    const target = column.scrollTop + offset - column.clientHeight / 2 + node.offsetHeight / 2;
    column.scrollTo({ top: Math.max(0, target), behavior: "smooth" });
  }

  // --- the editor

  function renderEditor(fields) {
    $("headline").value = fields.headline_en || "";
    $("summary").value = fields.summary_en || "";
    $("key-points").replaceChildren(...fields.key_points.map((point, i) => keyPointItem(point, i)));
    for (const kind of Object.keys(ENTITY_FIELDS)) {
      $(kind).replaceChildren(...fields[kind].map((item) => entityRow(kind, item)));
    }
    $("topics").value = fields.topics.join(", ");
  }

  function keyPointItem(point, index) {
    const link = el("button", { type: "button", className: "kp-link", title: "Show its evidence in the source" }, String(index + 1));
    link.addEventListener("click", () => highlight(Number(link.closest("li").dataset.index)));
    const text = el("textarea", { className: "kp-text", lang: "en", rows: 2, value: point.text_en || "", placeholder: "The key point, in one English sentence" });
    const evidence = el("textarea", { className: "kp-evidence", lang: "zh", rows: 2, value: point.evidence || "", placeholder: "证据 · an exact span of the source" });
    evidence.addEventListener("change", paintSource);
    const remove = el("button", { type: "button", className: "remove", title: "Remove this key point" }, "×");
    remove.addEventListener("click", () => {
      remove.closest("li").remove();
      renumberKeyPoints();
      paintSource();
      updateChanges();
    });
    const item = el(
      "li",
      { className: "kp" },
      link,
      el("div", { className: "kp-body" }, text, evidence, el("span", { className: "kp-missing", hidden: true }, "not found in the source")),
      remove,
    );
    item.dataset.index = String(index);
    return item;
  }

  function renumberKeyPoints() {
    document.querySelectorAll("#key-points li").forEach((item, i) => {
      item.dataset.index = String(i);
      item.querySelector(".kp-link").textContent = String(i + 1);
    });
  }

  function entityRow(kind, item) {
    const inputs = ENTITY_FIELDS[kind].map(([name, lang, placeholder, , multiline]) => {
      const props = { lang, placeholder, value: item[name] || "", className: `f-${name}` };
      const input = multiline ? el("textarea", { ...props, rows: 1 }) : el("input", props);
      input.dataset.field = name;
      input.title = placeholder;
      return input;
    });
    const remove = el("button", { type: "button", className: "remove", title: "Remove" }, "×");
    remove.addEventListener("click", () => {
      remove.closest(".entity").remove();
      updateChanges();
    });
    return el("div", { className: `entity entity-${kind}` }, ...inputs, remove);
  }

  const blank = (value) => (value.trim() ? value : null);

  function readKeyPoints() {
    return [...document.querySelectorAll("#key-points li")].map((item) => ({
      text_en: blank(item.querySelector(".kp-text").value),
      evidence: item.querySelector(".kp-evidence").value,
    }));
  }

  function readEntities(kind) {
    return [...$(kind).querySelectorAll(".entity")].map((row) => {
      const entity = {};
      for (const [name, , , required] of ENTITY_FIELDS[kind]) {
        const value = row.querySelector(`[data-field="${name}"]`).value;
        entity[name] = required ? value : blank(value);
      }
      return entity;
    });
  }

  function readTranslation() {
    const values = [...document.querySelectorAll("#paragraphs textarea.translation")].map((t) => t.value);
    if (!state.original.translation && values.every((v) => !v.trim())) return null;
    while (values.length && !values[values.length - 1].trim() && values.length > state.output.result.source.paragraphs.length) values.pop();
    return { paragraphs_en: values };
  }

  function collect() {
    return {
      headline_en: blank($("headline").value),
      summary_en: blank($("summary").value),
      key_points: readKeyPoints(),
      people: readEntities("people"),
      organizations: readEntities("organizations"),
      places: readEntities("places"),
      events: readEntities("events"),
      topics: $("topics").value.split(",").map((t) => t.trim()).filter(Boolean),
      translation: readTranslation(),
    };
  }

  function flatten(value, prefix, into) {
    if (Array.isArray(value)) {
      if (!value.length) into.set(prefix, "[]");
      value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, into));
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, into);
    } else {
      into.set(prefix, value === undefined ? null : value);
    }
    return into;
  }

  function changes() {
    const before = flatten(state.original, "", new Map());
    const after = flatten(collect(), "", new Map());
    const paths = [...before.keys(), ...[...after.keys()].filter((k) => !before.has(k))];
    return paths
      .filter((path) => (before.has(path) ? before.get(path) : null) !== (after.has(path) ? after.get(path) : null))
      .map((path) => ({ field: path, before: before.get(path) ?? null, after: after.get(path) ?? null }));
  }

  const shown = (value) => (value === null ? "∅" : String(value).length > 80 ? `${String(value).slice(0, 80)}…` : String(value));

  function updateChanges() {
    if (!state.output) return;
    const list = changes();
    $("changes-summary").textContent = list.length
      ? `${list.length} field${list.length === 1 ? "" : "s"} changed from the model output`
      : "No changes yet";
    $("change-list").replaceChildren(
      ...list.map((c) =>
        el(
          "li",
          {},
          el("code", {}, c.field),
          " ",
          el("del", { title: String(c.before) }, shown(c.before)),
          " → ",
          el("ins", { title: String(c.after) }, shown(c.after)),
        ),
      ),
    );
  }

  function addRow(kind) {
    if (kind === "key_points") {
      const list = $("key-points");
      const item = keyPointItem({ text_en: "", evidence: "" }, list.children.length);
      list.append(item);
      item.querySelector("textarea").focus();
    } else {
      const empty = Object.fromEntries(ENTITY_FIELDS[kind].map(([name]) => [name, ""]));
      const row = entityRow(kind, empty);
      $(kind).append(row);
      row.querySelector("input").focus();
    }
    updateChanges();
  }

  // --- saving

  async function save(event) {
    event.preventDefault();
    if (!state.output) return;
    const name = $("set-name").value.trim();
    const status = $("save-status");
    const body = {
      output: { job_id: state.output.job_id, article_id: state.output.article_id },
      reviewed: collect(),
      example_id: $("example-id").value.trim() || null,
      source: state.source,
      note: $("note").value,
      license: $("license").value.trim() || "unspecified",
      set_description: $("set-description").value.trim() || null,
    };
    status.textContent = "Saving…";
    status.dataset.kind = "info";
    try {
      const { data } = await api("POST", `/v1/eval-sets/${encodeURIComponent(name)}/examples`, body);
      const verb = data.replaced ? "Replaced" : "Saved";
      status.replaceChildren(
        `${verb} “${data.example_id}” in `,
        el("code", {}, data.set.signature),
        ` (${data.set.examples} example${data.set.examples === 1 ? "" : "s"}, ${data.changes.length} field${data.changes.length === 1 ? "" : "s"} changed). `,
        downloadButton(data.set.name),
      );
      status.dataset.kind = "ok";
      state.savedChanges = JSON.stringify(changes());
      if (!$("sets-panel").hidden) showSets();
      else refreshSetNames();
    } catch (error) {
      status.textContent = explain(error);
      status.dataset.kind = "error";
    }
  }

  function downloadButton(name) {
    const button = el("button", { type: "button", className: "link" }, `Download ${name}.zip`);
    button.addEventListener("click", () => download(name));
    return button;
  }

  async function download(name) {
    try {
      const headers = state.key ? { Authorization: "Bearer " + state.key } : {};
      const response = await fetch(`/v1/eval-sets/${encodeURIComponent(name)}/export`, { headers });
      if (!response.ok) throw new ApiError(`download failed (HTTP ${response.status})`, response.status);
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: `${name}.zip` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      setStatus(explain(error), "error");
    }
  }

  // --- eval sets

  async function refreshSetNames() {
    try {
      const { data } = await api("GET", "/v1/eval-sets");
      $("set-names").replaceChildren(...data.sets.map((s) => el("option", { value: s.name, label: s.signature })));
      return data.sets;
    } catch {
      return null;
    }
  }

  async function showSets() {
    const list = $("set-list");
    const sets = await refreshSetNames();
    if (sets === null) {
      list.replaceChildren(el("li", { className: "muted" }, "Cannot list eval sets without a valid key."));
      return;
    }
    if (!sets.length) {
      list.replaceChildren(el("li", { className: "muted" }, "No eval sets yet: save a reviewed summary to start one."));
      return;
    }
    list.replaceChildren(
      ...sets.map((set) => {
        const open = el("button", { type: "button" }, "Examples");
        open.addEventListener("click", () => showSet(set.name));
        return el(
          "li",
          {},
          el("div", { className: "set-title" }, el("strong", {}, set.name), " ", el("code", {}, set.signature), " ", el("span", { className: "muted" }, `${set.examples} example${set.examples === 1 ? "" : "s"}`)),
          el("div", { className: "set-description" }, set.description),
          el("div", { className: "muted small" }, set.provenance),
          el("div", { className: "row" }, open, downloadButton(set.name)),
        );
      }),
    );
  }

  async function showSet(name) {
    const detail = $("set-detail");
    try {
      const { data } = await api("GET", `/v1/eval-sets/${encodeURIComponent(name)}`);
      const rows = data.examples.map((example) =>
        el(
          "tr",
          { title: example.provenance },
          el("td", { lang: "zh" }, example.id),
          el("td", {}, example.reviewer || "—"),
          el("td", {}, example.reviewed_at || "—"),
          el("td", { className: "num" }, example.changes === null ? "—" : String(example.changes)),
          el("td", {}, example.note || ""),
        ),
      );
      detail.replaceChildren(
        el("h3", {}, `${data.set.name} `, el("code", {}, data.set.signature)),
        el("p", { className: "small" }, `License: ${data.set.license}`),
        el(
          "table",
          { className: "examples" },
          el("thead", {}, el("tr", {}, ...["id", "reviewer", "when", "changes", "note"].map((h) => el("th", { scope: "col" }, h)))),
          el("tbody", {}, ...rows),
        ),
      );
      detail.hidden = false;
    } catch (error) {
      setStatus(explain(error), "error");
    }
  }

  // --- wiring

  function selectTab(button) {
    for (const tab of document.querySelectorAll("[role=tab]")) {
      const active = tab === button;
      tab.setAttribute("aria-selected", String(active));
      $(tab.dataset.panel).hidden = !active;
    }
    if (button.id === "tab-sets") showSets();
  }

  function start() {
    state.pollLimit = pollLimitSeconds();
    $("api-key").value = state.key;
    $("key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      state.key = $("api-key").value.trim();
      if (state.key) sessionStorage.setItem(KEY_STORAGE, state.key);
      else sessionStorage.removeItem(KEY_STORAGE);
      loadSession().then(() => {
        // the address named a job that was refused for want of a key: open it now
        if (state.openAfterKey && state.session) openAddressed();
      });
    });
    for (const tab of document.querySelectorAll("[role=tab]")) tab.addEventListener("click", () => selectTab(tab));
    $("paste-form").addEventListener("submit", summarizePasted);
    $("result-form").addEventListener("submit", openResult);
    $("list-articles").addEventListener("click", listArticles);
    $("refresh-sets").addEventListener("click", showSets);
    $("save-form").addEventListener("submit", save);
    for (const button of document.querySelectorAll("button[data-add]")) {
      button.addEventListener("click", () => addRow(button.dataset.add));
    }
    $("show-repairs").addEventListener("change", (event) => {
      document.querySelector("table.aligned").classList.toggle("hide-repairs", !event.target.checked);
    });
    $("paragraphs").addEventListener("click", (event) => {
      const piece = event.target.closest(".ev");
      if (!piece) return;
      const index = Number(piece.dataset.kp.split(" ")[0]);
      highlight(index, false);
      const item = document.querySelectorAll("#key-points li")[index];
      if (item) reveal(item, document.querySelector(".editor"));
    });
    let pending = 0;
    const later = () => {
      clearTimeout(pending);
      pending = setTimeout(updateChanges, 150);
    };
    $("review").addEventListener("input", later);
    // edits not saved yet are lost on leaving: ask first
    window.addEventListener("beforeunload", (event) => {
      if (state.output && JSON.stringify(changes()) !== state.savedChanges) event.preventDefault();
    });
    loadSession();
    const params = new URLSearchParams(location.search);
    if (params.get("job")) {
      $("job-id").value = params.get("job");
      $("job-article-id").value = params.get("article") || "";
      selectTab($("tab-result"));
      openAddressed();
    }
  }

  /** Open the job the address names (`?job=ID&article=ID`); refused for want of a key, it is
   * opened again as soon as a valid key is entered, without a click on Open. */
  function openAddressed() {
    const params = new URLSearchParams(location.search);
    state.openAfterKey = false;
    openOutput(params.get("job"), params.get("article"), null).catch((error) => {
      state.openAfterKey = error instanceof ApiError && error.status === 401;
      setStatus(explain(error) + (state.openAfterKey ? " It opens once a valid key is entered." : ""), "error");
    });
  }

  start();
})();
