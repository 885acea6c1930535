/* sysabi: a concrete path typed into the search box lists the entries documenting it.
 *
 * window.SYSABI_PATHS (sysabi-paths.js) holds [regex, What, URL] in ranked order, the
 * most specific What first; the first matches are shown above Sphinx's word search.
 * Every text goes into the page as text (textContent), never as HTML.
 */
"use strict";
(() => {
  const MAX_HITS = 10;

  const pathHits = (path) => {
    const data = window.SYSABI_PATHS;
    if (!data || data.format !== 1) return [];
    const hits = [];
    for (const [source, what, url] of data.entries) {
      let pattern;
      try {
        pattern = new RegExp(`^(?:${source})$`);
      } catch (error) {
        continue; // a What this browser cannot read: never a wrong answer
      }
      if (pattern.test(path)) {
        hits.push([what, url]);
        if (hits.length >= MAX_HITS) break;
      }
    }
    return hits;
  };

  const showPathHits = () => {
    const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    if (!query.startsWith("/") || /\s/.test(query)) return;
    const hits = pathHits(query);
    const box = document.createElement("div");
    box.className = "sysabi-path-results";
    const heading = box.appendChild(document.createElement("h2"));
    heading.textContent = hits.length
      ? `Entries documenting ${query}`
      : `No entry documents ${query}`;
    const list = box.appendChild(document.createElement("ul"));
    list.className = "search sysabi-path-hits";
    for (const [what, url] of hits) {
      const item = list.appendChild(document.createElement("li"));
      const link = item.appendChild(document.createElement("a"));
      link.href = url;
      link.textContent = what;
    }
    const results = document.getElementById("search-results");
    if (results) results.before(box);
    else document.body.appendChild(box);
  };

  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", showPathHits);
  else showPathHits();
})();
