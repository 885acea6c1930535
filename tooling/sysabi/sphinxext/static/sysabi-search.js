/* sysabi: a concrete path typed into the search box lists the entries documenting it.
 *
 * window.SYSABI_PATHS (sysabi-paths.js, written by sysabi.render.pathindex) holds the
 * Whats as [regex, What, URL], their [safe length, level, names a folder, anchored by
 * typed placeholders only], and the index buckets of sysabi.paths.index. A path is answered as sysabi.paths.resolver
 * answers it: only the Whats of its buckets are tried; a What's RegExp runs only on
 * texts within its backtracking bound, longer ones go to the linear engine below
 * (the one of sysabi.paths.linear); the most specific Whats come first, then the
 * broader ones; with no answer, the nearest documented folder above the path.
 * Every text goes into the page as text (textContent), never as HTML.
 */
"use strict";
(() => {
  const MAX_HITS = 10;

  /* ---- the linear engine: a Thompson simulation of the Whats' regex subset ---- */

  // A character set: {negated, chars: Set}.
  const has = (set, char) => set.chars.has(char) !== set.negated;

  const parse = (text) => {
    let pos = 0;
    const fail = (why) => {
      throw new Error(`unsupported expression: ${why}`);
    };
    const alternation = () => {
      const branches = [sequence()];
      while (text[pos] === "|") {
        pos += 1;
        branches.push(sequence());
      }
      return branches.length === 1 ? branches[0] : { alt: branches };
    };
    const sequence = () => {
      const items = [];
      while (pos < text.length && text[pos] !== "|" && text[pos] !== ")")
        items.push(quantified(atom()));
      return { seq: items };
    };
    const atom = () => {
      const char = text[pos];
      if (char === "(") {
        if (!text.startsWith("(?:", pos)) fail("group");
        pos += 3;
        const node = alternation();
        if (text[pos] !== ")") fail("unclosed group");
        pos += 1;
        return node;
      }
      if (char === "[") return characterClass();
      if (char === "\\") {
        if (pos + 1 >= text.length || /[A-Za-z0-9]/.test(text[pos + 1])) fail("escape");
        pos += 2;
        return { negated: false, chars: new Set([text[pos - 1]]) };
      }
      if ("*+?{.^$".includes(char)) fail(char);
      pos += 1;
      return { negated: false, chars: new Set([char]) };
    };
    const characterClass = () => {
      let end = text.indexOf("]", pos + 2);
      while (end > 0 && text[end - 1] === "\\") end = text.indexOf("]", end + 1);
      if (end < 0) fail("unclosed class");
      let body = text.slice(pos + 1, end);
      pos = end + 1;
      const negated = body.startsWith("^");
      body = body.slice(negated ? 1 : 0).replace(/\\(.)/gs, "$1");
      const chars = new Set();
      for (const [, low, high, single] of body.matchAll(/(.)-(.)|(.)/gs)) {
        if (single !== undefined) chars.add(single);
        else if (high.charCodeAt(0) - low.charCodeAt(0) > 1024) fail("class too wide");
        else
          for (let code = low.charCodeAt(0); code <= high.charCodeAt(0); code += 1)
            chars.add(String.fromCharCode(code));
      }
      return { negated, chars };
    };
    const quantified = (node) => {
      const simple = { "*": [0, null], "+": [1, null], "?": [0, 1] }[text[pos]];
      if (simple) {
        pos += 1;
        return { body: node, min: simple[0], max: simple[1] };
      }
      const counted = /^\{(\d+)(,?)(\d*)\}/.exec(text.slice(pos, pos + 24));
      if (!counted) return node;
      pos += counted[0].length;
      const low = Number(counted[1]);
      if (!counted[2]) return { body: node, min: low, max: low };
      return { body: node, min: low, max: counted[3] ? Number(counted[3]) : null };
    };
    const node = alternation();
    if (pos !== text.length) fail(`unexpected ${text[pos]}`);
    return node;
  };

  // Instructions: a character set to read, a fork (array of targets), the match (null).
  const compile = (node, program) => {
    if (node.chars) program.push(node);
    else if (node.seq) for (const item of node.seq) compile(item, program);
    else if (node.alt) {
      const fork = program.length;
      program.push([]);
      const starts = [];
      const exits = [];
      for (const branch of node.alt) {
        starts.push(program.length);
        compile(branch, program);
        exits.push(program.length);
        program.push([]);
      }
      program[fork] = starts;
      for (const jump of exits) program[jump] = [program.length];
    } else {
      for (let i = 0; i < node.min; i += 1) compile(node.body, program);
      if (node.max === null) {
        const loop = program.length;
        program.push([]);
        compile(node.body, program);
        program.push([loop]);
        program[loop] = [loop + 1, program.length];
      } else {
        const skips = [];
        for (let i = node.min; i < node.max; i += 1) {
          skips.push(program.length);
          program.push([]);
          compile(node.body, program);
        }
        for (const skip of skips) program[skip] = [skip + 1, program.length];
      }
    }
  };

  const linearMatcher = (expression) => {
    const program = [];
    compile(parse(expression), program);
    program.push(null);
    const closure = (start, into) => {
      const stack = [start];
      const seen = new Set(stack);
      while (stack.length) {
        const pc = stack.pop();
        const op = program[pc];
        if (Array.isArray(op)) {
          for (const target of op)
            if (!seen.has(target)) {
              seen.add(target);
              stack.push(target);
            }
        } else into.add(pc);
      }
      return into;
    };
    const start = closure(0, new Set());
    return (text) => {
      let states = start;
      for (const char of text) {
        const next = new Set();
        for (const pc of states) {
          const op = program[pc];
          if (op && !Array.isArray(op) && has(op, char)) closure(pc + 1, next);
        }
        if (!next.size) return false;
        states = next;
      }
      return states.has(program.length - 1);
    };
  };

  /* ---- the resolver, over the data of sysabi-paths.js ---- */

  const resolverOf = (data) => {
    const matchers = new Map();
    const prefixSizes = [...new Set(Object.keys(data.prefix).map((key) => key.length))];
    const suffixSizes = [...new Set(Object.keys(data.suffix).map((key) => key.length))];
    prefixSizes.sort((a, b) => a - b);
    suffixSizes.sort((a, b) => a - b);
    const get = (bucket, key) => (Object.hasOwn(bucket, key) ? bucket[key] : []);

    const matches = (number, path) =>
      matchesAs(`${number}`, data.entries[number][0], data.details[number][0], path);

    // ``source`` matched whole, by RegExp within ``safe`` characters, else linearly.
    const matchesAs = (name, source, safe, path) => {
      const linear = path.length > safe;
      const key = `${linear ? "l" : "r"}${name}`;
      let test = matchers.get(key);
      if (test === undefined) {
        try {
          if (linear) test = linearMatcher(source);
          else {
            const pattern = new RegExp(`^(?:${source})$`);
            test = (text) => pattern.test(text);
          }
        } catch (error) {
          test = () => false; // a What this browser cannot read: never a wrong answer
        }
        matchers.set(key, test);
      }
      return test(path);
    };

    const candidates = (path) => {
      const found = [...get(data.exact, path.replace(/\/+$/, "") || "/")];
      const trimmed = path.replace(/\/+$/, "");
      const last = trimmed.slice(trimmed.lastIndexOf("/") + 1);
      const tried = [...get(data.last, last)];
      for (const size of prefixSizes) {
        if (size > last.length) break;
        tried.push(...get(data.prefix, last.slice(0, size)));
      }
      for (const size of suffixSizes) {
        if (size > last.length) break;
        tried.push(...get(data.suffix, last.slice(last.length - size)));
      }
      tried.push(...get(data.others, ""));
      const start = path.slice(1).split("/");
      if (start.length >= 2) tried.push(...get(data.others, `${start[0]}/${start[1]}`));
      return found.concat(tried.filter((number) => matches(number, path)));
    };

    // The Whats answering ``path``, best first: [best, broader] (rules 2-4).
    const ranked = (path) => {
      const folder = path.endsWith("/");
      const found = [...new Set(candidates(path))].filter(
        (number) => folder || !data.details[number][3],
      );
      const files = found.filter((number) => !data.details[number][2]);
      const answering = folder || !files.length ? found : files;
      answering.sort((a, b) => data.details[a][1] - data.details[b][1] || a - b);
      if (!answering.length) return [[], []];
      const top = data.details[answering[0]][1];
      const best = answering.filter((number) => data.details[number][1] === top);
      return [best, answering.slice(best.length)];
    };

    const foldersAbove = (path) => {
      const parts = path.replace(/\/+$/, "").split("/");
      const lowest = Math.max(2, parts.length - 1 - data.maxFoldersAbove);
      const folders = [];
      for (let size = parts.length - 1; size > lowest; size -= 1)
        folders.push(parts.slice(0, size).join("/"));
      return folders;
    };

    // Other names of a path by the link rules (sysabi.paths.aliases.link_names).
    const linkNames = (path) => {
      const { devices, rules, max } = data.links;
      if (!path.startsWith(devices)) return [];
      const slash = path.endsWith("/") ? "/" : "";
      const parts = path.slice(devices.length).replace(/\/+$/, "").split("/");
      const names = [];
      for (let at = parts.length - (slash ? 2 : 3); at >= 0 && names.length < max; at -= 1) {
        const folder = parts[at];
        if (!folder || !parts[at + 1]) continue;
        const rest = parts.slice(at + 1).join("/") + slash;
        for (const [before, link] of rules)
          if (before === "*" || before === folder) {
            const name = `${link.replace("*", folder)}/${rest}`;
            if (!names.includes(name) && names.length < max) names.push(name);
          }
      }
      return names;
    };

    // Whether folder entry ``number`` names ``path``, a file below ``folder``
    // (sysabi.paths.folders.FolderContents.documents).
    const names = (number, folder, path) => {
      if (!Object.hasOwn(data.folders, `${number}`)) return false;
      const [named, mentions, patterns] = data.folders[`${number}`];
      const below = path.replace(/\/+$/, "").slice(folder.length + 1).split("/");
      const file = below[below.length - 1];
      if (!file || below.length > data.maxDepthBelow) return false;
      if (named.includes(file)) return true;
      const inside = (mention) =>
        mention.startsWith(`${folder}/`) && mention.replace(/\/+$/, "").endsWith(`/${file}`);
      if (mentions.some(inside)) return true;
      return patterns.some(([source, safe], at) =>
        matchesAs(`f${number}.${at}`, source, safe, path),
      );
    };

    return (path) => {
      const [best, others] = ranked(path);
      if (best.length) return { best, others, path };
      let linked = null;
      for (const name of linkNames(path)) {
        const [found, broader] = ranked(name);
        const level = (answer) => data.details[answer.best[0]][1];
        const answer = { best: found, others: broader, path: name };
        if (found.length && (linked === null || level(answer) < level(linked))) linked = answer;
      }
      if (linked) return linked;
      for (const folder of foldersAbove(path)) {
        const [found] = ranked(`${folder}/`);
        if (found.length) {
          const naming = found.filter((n) => data.details[n][2] && names(n, folder, path));
          const folderEntry = naming.length > 0;
          return { best: naming, others: [], path, folder, nearest: found, folderEntry };
        }
      }
      return { best: [], others: [], path };
    };
  };

  const loaded = () => {
    const data = window.SYSABI_PATHS;
    return data && data.format === 3 ? data : null;
  };

  /* ---- the page ---- */

  const listOf = (box, className, numbers, data) => {
    const list = box.appendChild(document.createElement("ul"));
    list.className = className;
    for (const number of numbers.slice(0, MAX_HITS)) {
      const [, what, url] = data.entries[number];
      const link = list.appendChild(document.createElement("li")).appendChild(
        document.createElement("a"),
      );
      link.href = url;
      link.textContent = what;
    }
  };

  const showPathHits = () => {
    const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    const data = loaded();
    if (!data || !query.startsWith("/") || /\s/.test(query)) return;
    const box = document.createElement("div");
    box.className = "sysabi-path-results";
    const heading = box.appendChild(document.createElement("h2"));
    if (query.length > data.maxPath) {
      heading.textContent = `No entry documents a path longer than ${data.maxPath} characters`;
    } else {
      const found = resolverOf(data)(query);
      const hits = found.best.concat(found.others);
      heading.textContent = hits.length
        ? `Entries documenting ${query}`
        : `No entry documents ${query}`;
      if (found.path !== query || found.folderEntry) {
        const how = box.appendChild(document.createElement("p"));
        how.className = "sysabi-path-how";
        how.textContent = found.folderEntry
          ? `Documented by the folder entry of ${found.folder}/, whose description names it`
          : `Documented as ${found.path}`;
      }
      listOf(box, "search sysabi-path-hits", hits, data);
      if (found.folder && !found.folderEntry) {
        const note = box.appendChild(document.createElement("p"));
        note.className = "sysabi-nearest-folder";
        note.textContent = `Nearest documented folder above it: ${found.folder}`;
        listOf(box, "search sysabi-nearest-hits", found.nearest, data);
      }
    }
    const results = document.getElementById("search-results");
    if (results) results.before(box);
    else document.body.appendChild(box);
  };

  // For tests (tests/paths/test_browser_search.py) and other pages' scripts.
  window.SYSABI_SEARCH = { linearMatcher, resolverOf };

  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", showPathHits);
  else showPathHits();
})();
