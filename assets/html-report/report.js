(function () {
  'use strict';
  // Every piece of corpus text reaches the page through textContent or a text node: never as HTML.
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var SEVERITIES = ['error', 'warning', 'info'];
  var SEVERITY_LABEL = { error: 'Errors', warning: 'Warnings', info: 'Infos' };
  var DOCS_PER_PAGE = 50;
  var PAIRS_PER_PAGE = 20;
  var GROUPS_PER_PAGE = 30;
  var PAIR_CONTEXT = 160;
  var files = data.files;
  var variantRules = data.variantRules;
  var byKey = {};
  files.forEach(function (file, index) {
    byKey[keyOf(file.path, file.line)] = index;
  });
  var state = { rule: '', severity: '', file: '', sortKey: 'total', sortDir: -1, page: 0, pairPage: 0, groupPage: 0, current: -1 };

  function keyOf(path, line) {
    return line === undefined || line === null ? path : path + ':' + line;
  }
  function nameOf(file) {
    return file.line !== undefined ? file.path + ':' + file.line + (file.id !== undefined ? ' (' + file.id + ')' : '') : file.path;
  }
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    if (attributes) {
      Object.keys(attributes).forEach(function (name) {
        var value = attributes[name];
        if (value === undefined || value === null || value === false) return;
        if (name === 'text') node.textContent = String(value);
        else if (name === 'onclick') node.addEventListener('click', value);
        else node.setAttribute(name, String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }
  function format(number) {
    return Number(number).toLocaleString('en');
  }
  function matchesMessage(message) {
    return (!state.rule || message.ruleId === state.rule) && (!state.severity || message.severity === state.severity);
  }
  function matchesFile(file) {
    return !state.file || nameOf(file).toLowerCase().indexOf(state.file.toLowerCase()) >= 0;
  }
  function textOf(file, start, end) {
    var segments = file && file.text ? file.text.segments : [];
    for (var i = 0; i < segments.length; i++) {
      var segment = segments[i];
      if (start >= segment.start && end <= segment.start + segment.text.length) return segment.text.slice(start - segment.start, end - segment.start);
    }
    return undefined;
  }

  function renderPager(container, page, pages, go, label) {
    clear(container);
    if (pages <= 1 && !label) return;
    container.appendChild(el('button', { text: '\u2039 Previous', disabled: page === 0, onclick: function () { go(page - 1); } }));
    container.appendChild(label || el('span', { text: 'page ' + (page + 1) + ' of ' + pages }));
    container.appendChild(el('button', { text: 'Next \u203a', disabled: page >= pages - 1, onclick: function () { go(page + 1); } }));
  }

  // ---- layout
  var root = el('div', { class: 'page' });
  document.body.appendChild(root);
  var summary = data.summary;
  var totalFindings = summary.errors + summary.warnings + summary.infos;
  var documentsWithFindings = files.filter(function (file) {
    return file.messages.length > 0;
  }).length;
  root.appendChild(
    el('header', null, [
      el('h1', { text: 'corpus-lint report' }),
      el('p', { class: 'muted', text: data.tool.name + ' ' + data.tool.version + ' · every rule\u2019s findings, with the text they point at' }),
    ]),
  );

  function card(id, label, value, extra) {
    return el('div', { class: 'card ' + (extra || '') }, [el('div', { class: 'value', id: id, 'data-value': value, text: format(value) }), el('div', { class: 'label', text: label })]);
  }
  root.appendChild(
    el('section', { class: 'cards', id: 'summary' }, [
      card('count-documents', 'documents', summary.documents),
      card('count-with-findings', 'with findings', documentsWithFindings),
      card('count-findings', 'findings', totalFindings),
      card('count-errors', 'errors', summary.errors, 'sev-error'),
      card('count-warnings', 'warnings', summary.warnings, 'sev-warning'),
      card('count-infos', 'infos', summary.infos, 'sev-info'),
    ]),
  );

  // ---- bar chart: findings by rule and severity
  var ruleIds = Object.keys(summary.byRule);
  var maxTotal = 1;
  ruleIds.forEach(function (id) {
    var counts = summary.byRule[id];
    maxTotal = Math.max(maxTotal, counts.errors + counts.warnings + counts.infos);
  });
  var chart = el('div', { class: 'chart', id: 'chart', role: 'list' });
  ruleIds.forEach(function (id) {
    var counts = summary.byRule[id];
    var total = counts.errors + counts.warnings + counts.infos;
    var bar = el('div', { class: 'bar' });
    SEVERITIES.forEach(function (severity) {
      var count = counts[severity === 'info' ? 'infos' : severity + 's'];
      if (count > 0) bar.appendChild(el('span', { class: 'seg sev-' + severity, style: 'width:' + (100 * count) / maxTotal + '%', title: format(count) + ' ' + severity + (count === 1 ? '' : 's') }));
    });
    var rule = data.rules[id] || {};
    var label = el('button', { class: 'linklike', title: rule.description || id, text: id, onclick: function () { setFilter('rule', id); } });
    chart.appendChild(el('div', { class: 'chart-row', role: 'listitem', 'data-rule': id, 'data-count': total }, [label, bar, el('span', { class: 'chart-count', text: format(total) })]));
  });
  if (ruleIds.length === 0) chart.appendChild(el('p', { class: 'muted', text: 'No findings.' }));
  var legend = el('div', { class: 'legend' }, SEVERITIES.map(function (severity) {
    return el('span', null, [el('span', { class: 'swatch sev-' + severity }), severity]);
  }));
  root.appendChild(el('section', { class: 'panel' }, [el('h2', { text: 'Findings by rule' }), chart, legend]));

  // ---- filters
  var ruleSelect = el('select', { id: 'filter-rule', 'aria-label': 'Rule' }, [el('option', { value: '', text: 'All rules' })].concat(
    ruleIds.map(function (id) { return el('option', { value: id, text: id }); }),
  ));
  var severitySelect = el('select', { id: 'filter-severity', 'aria-label': 'Severity' }, [el('option', { value: '', text: 'All severities' })].concat(
    SEVERITIES.map(function (severity) { return el('option', { value: severity, text: severity }); }),
  ));
  var fileInput = el('input', { id: 'filter-file', type: 'search', placeholder: 'Filter by file or id', 'aria-label': 'File' });
  var filterCount = el('span', { id: 'filter-count', class: 'muted' });
  ruleSelect.addEventListener('change', function () { setFilter('rule', ruleSelect.value); });
  severitySelect.addEventListener('change', function () { setFilter('severity', severitySelect.value); });
  var typing;
  fileInput.addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(function () { setFilter('file', fileInput.value.trim()); }, 150);
  });
  root.appendChild(el('section', { class: 'filters panel', id: 'filters' }, [
    el('label', null, ['Rule ', ruleSelect]), el('label', null, ['Severity ', severitySelect]), el('label', null, ['File ', fileInput]), filterCount,
  ]));

  function setFilter(name, value) {
    state[name] = value;
    ruleSelect.value = state.rule;
    severitySelect.value = state.severity;
    if (name === 'file') fileInput.value = value;
    state.page = 0;
    state.pairPage = 0;
    state.groupPage = 0;
    renderAll();
  }

  // ---- documents table and document view
  var tableBody = el('tbody', { id: 'doc-rows' });
  var pager = el('div', { class: 'pager', id: 'doc-pager' });
  var columns = [
    { key: 'name', label: 'Document' },
    { key: 'date', label: 'Date' },
    { key: 'error', label: 'Errors', numeric: true },
    { key: 'warning', label: 'Warnings', numeric: true },
    { key: 'info', label: 'Infos', numeric: true },
    { key: 'total', label: 'Findings', numeric: true },
  ];
  var headRow = el('tr', null, columns.map(function (column) {
    var button = el('button', { class: 'sort', 'data-sort': column.key, text: column.label, onclick: function () {
      state.sortDir = state.sortKey === column.key ? -state.sortDir : column.numeric ? -1 : 1;
      state.sortKey = column.key;
      state.page = 0;
      renderDocuments();
    } });
    return el('th', { class: column.numeric ? 'num' : '' }, [button]);
  }));
  var table = el('table', { id: 'doc-table' }, [el('thead', null, [headRow]), tableBody]);
  var viewTitle = el('h2', { id: 'doc-title', text: totalFindings === 0 ? 'No document to show' : 'Select a document' });
  var viewText = el('div', { id: 'doc-text', class: 'doc-text', hidden: true });
  var detail = el('aside', { id: 'finding-detail', class: 'detail', hidden: true });
  var findingList = el('ol', { id: 'doc-findings', class: 'findings' });
  root.appendChild(el('div', { class: 'split' }, [
    el('section', { class: 'panel', id: 'documents' }, [el('h2', { text: 'Documents with findings' }), el('div', { class: 'table-wrap' }, [table]), pager]),
    el('section', { class: 'panel', id: 'document' }, [viewTitle, detail, viewText, findingList]),
  ]));

  function rowsOf() {
    var rows = [];
    files.forEach(function (file, index) {
      if (!matchesFile(file)) return;
      var counts = { error: 0, warning: 0, info: 0, total: 0 };
      file.messages.forEach(function (message) {
        if (!matchesMessage(message)) return;
        counts[message.severity]++;
        counts.total++;
      });
      if (counts.total > 0) rows.push({ index: index, name: nameOf(file), date: file.date || '', error: counts.error, warning: counts.warning, info: counts.info, total: counts.total });
    });
    var key = state.sortKey;
    var direction = state.sortDir;
    rows.sort(function (a, b) {
      var x = a[key];
      var y = b[key];
      var order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
      return order * direction || a.index - b.index;
    });
    return rows;
  }

  function renderDocuments() {
    var rows = rowsOf();
    var pages = Math.max(1, Math.ceil(rows.length / DOCS_PER_PAGE));
    state.page = Math.min(state.page, pages - 1);
    clear(tableBody);
    rows.slice(state.page * DOCS_PER_PAGE, (state.page + 1) * DOCS_PER_PAGE).forEach(function (row) {
      var tr = el('tr', { 'data-doc': row.index, class: row.index === state.current ? 'current' : '', tabindex: 0 }, [
        el('td', { class: 'name', title: row.name, text: row.name }),
        el('td', { text: row.date }),
        el('td', { class: 'num', text: row.error || '' }),
        el('td', { class: 'num', text: row.warning || '' }),
        el('td', { class: 'num', text: row.info || '' }),
        el('td', { class: 'num', text: row.total }),
      ]);
      tr.addEventListener('click', function () { openDocument(row.index); });
      tr.addEventListener('keydown', function (event) { if (event.key === 'Enter') openDocument(row.index); });
      tableBody.appendChild(tr);
    });
    if (rows.length === 0) tableBody.appendChild(el('tr', null, [el('td', { colspan: columns.length, class: 'muted', text: totalFindings === 0 ? 'No findings: every document passed every rule.' : 'No document matches the filters.' })]));
    Array.prototype.forEach.call(headRow.querySelectorAll('button.sort'), function (button) {
      var active = button.getAttribute('data-sort') === state.sortKey;
      button.setAttribute('aria-sort', active ? (state.sortDir < 0 ? 'descending' : 'ascending') : 'none');
    });
    var label = el('span', { id: 'doc-count', 'data-count': rows.length, text: rows.length === 0 ? '0 documents' : format(state.page * DOCS_PER_PAGE + 1) + '\u2013' + format(Math.min(rows.length, (state.page + 1) * DOCS_PER_PAGE)) + ' of ' + format(rows.length) + ' documents' });
    renderPager(pager, state.page, pages, function (page) { state.page = page; renderDocuments(); }, label);
    var shown = 0;
    rows.forEach(function (row) { shown += row.total; });
    filterCount.textContent = format(shown) + ' of ' + format(totalFindings) + ' findings shown';
    filterCount.setAttribute('data-count', shown);
  }

  // Split [start, end) spans over the kept segments into pieces, each knowing which findings cover it.
  function renderText(container, file, spans, onMark) {
    clear(container);
    if (!file.text) {
      container.appendChild(el('p', { class: 'muted', text: 'The text of this document was not available when the report was written.' }));
      return;
    }
    var position = 0;
    file.text.segments.forEach(function (segment) {
      if (segment.start > position) container.appendChild(el('span', { class: 'gap', text: '[\u2026 ' + format(segment.start - position) + ' characters not kept \u2026]' }));
      var segmentEnd = segment.start + segment.text.length;
      var cuts = [segment.start, segmentEnd];
      spans.forEach(function (span) {
        if (span.end > segment.start && span.start < segmentEnd) {
          cuts.push(Math.max(span.start, segment.start), Math.min(span.end, segmentEnd));
        }
      });
      cuts = cuts.sort(function (a, b) { return a - b; }).filter(function (cut, i, all) { return i === 0 || cut !== all[i - 1]; });
      for (var i = 0; i + 1 < cuts.length; i++) {
        var from = cuts[i];
        var to = cuts[i + 1];
        var piece = segment.text.slice(from - segment.start, to - segment.start);
        var covering = spans.filter(function (span) { return span.start <= from && span.end >= to && span.end > span.start; });
        if (covering.length === 0) {
          container.appendChild(document.createTextNode(piece));
          continue;
        }
        var worst = SEVERITIES.filter(function (severity) { return covering.some(function (span) { return span.severity === severity; }); })[0];
        var mark = el('mark', {
          class: 'sev-' + worst + (covering.length > 1 ? ' multi' : ''),
          'data-rule': covering.map(function (span) { return span.ruleId; }).join(' '),
          'data-spans': covering.map(function (span) { return span.id; }).join(' '),
          title: covering.map(function (span) {
            var expected = span.source && span.source.expected && span.source.expected.length ? ' (expected: ' + span.source.expected.join(', ') + ')' : '';
            return span.ruleId + ': ' + span.message + expected;
          }).join('\n'),
          tabindex: 0,
          text: piece,
        });
        covering.forEach(function (span) {
          if (span.start === from && !container.querySelector('#' + span.anchor)) mark.id = mark.id || span.anchor;
        });
        if (onMark) {
          (function (list, node) {
            node.addEventListener('click', function () { onMark(list); });
            node.addEventListener('keydown', function (event) { if (event.key === 'Enter') onMark(list); });
          })(covering, mark);
        }
        container.appendChild(mark);
      }
      position = segmentEnd;
    });
    if (file.text.length > position) container.appendChild(el('span', { class: 'gap', text: '[\u2026 ' + format(file.text.length - position) + ' characters not kept \u2026]' }));
  }

  function openDocument(index, focusMessage, related) {
    state.current = index;
    var file = files[index];
    viewText.hidden = false;
    viewTitle.textContent = nameOf(file) + (file.date ? ' \u00b7 ' + file.date : '');
    detail.hidden = true;
    var spans = [];
    file.messages.forEach(function (message, i) {
      if (!matchesMessage(message) && i !== focusMessage) return;
      spans.push({ id: i, anchor: 'finding-' + i, start: message.start, end: message.end, ruleId: message.ruleId, severity: message.severity, message: message.message, source: message });
    });
    var listed = spans.slice();
    if (related) spans.push({ id: 'r', anchor: 'related-span', start: related.start, end: related.end, ruleId: 'related', severity: 'info', message: related.message, source: null });
    renderText(viewText, file, spans, function (covering) {
      showDetail(file, covering.map(function (span) { return span.source; }).filter(Boolean));
    });
    clear(findingList);
    listed.forEach(function (span) {
      var message = span.source;
      var item = el('li', { class: 'sev-' + message.severity }, [
        el('span', { class: 'badge sev-' + message.severity, text: message.severity }), ' ',
        el('code', { text: message.ruleId }), ' ',
        el('span', { class: 'muted', text: message.line + ':' + message.column }), ' ',
        message.message,
      ]);
      item.addEventListener('click', function () {
        showDetail(file, [message]);
        var anchor = document.getElementById(span.anchor);
        if (anchor) {
          anchor.scrollIntoView({ block: 'center' });
          anchor.classList.add('flash');
          setTimeout(function () { anchor.classList.remove('flash'); }, 1200);
        }
      });
      findingList.appendChild(item);
    });
    Array.prototype.forEach.call(tableBody.querySelectorAll('tr'), function (row) {
      row.classList.toggle('current', Number(row.getAttribute('data-doc')) === index);
    });
    if (focusMessage !== undefined) {
      var target = document.getElementById('finding-' + focusMessage);
      if (target) target.scrollIntoView({ block: 'center' });
    }
  }

  function field(label, value) {
    return el('div', { class: 'field' }, [el('span', { class: 'field-label', text: label }), el('span', { class: 'field-value', text: value })]);
  }

  function showDetail(file, messages) {
    clear(detail);
    detail.hidden = false;
    detail.appendChild(el('button', { class: 'close', 'aria-label': 'Close', text: '\u00d7', onclick: function () { detail.hidden = true; } }));
    messages.forEach(function (message) {
      var rule = data.rules[message.ruleId] || {};
      var box = el('div', { class: 'finding' }, [
        el('div', null, [el('span', { class: 'badge sev-' + message.severity, text: message.severity }), ' ', /^https?:\/\//.test(rule.url || '') ? el('a', { href: rule.url, class: 'rule', text: message.ruleId }) : el('code', { text: message.ruleId })]),
        el('p', { class: 'message', text: message.message }),
      ]);
      if (message.kind) box.appendChild(field('kind', message.kind));
      var flagged = textOf(file, message.start, message.end);
      if (message.actual !== undefined || flagged !== undefined) box.appendChild(field('found', message.actual !== undefined ? message.actual : flagged));
      if (message.expected && message.expected.length) box.appendChild(field('expected', message.expected.join(' \u00b7 ')));
      box.appendChild(field('at', 'line ' + message.line + ', column ' + message.column));
      (message.related || []).forEach(function (related) {
        var target = byKey[keyOf(related.path, related.documentLine)];
        var label = (related.documentLine !== undefined ? related.path + ':' + related.documentLine : related.path) + ' line ' + related.line + ': ' + related.message;
        box.appendChild(el('div', { class: 'field' }, [
          el('span', { class: 'field-label', text: 'related' }),
          target === undefined ? el('span', { text: label }) : el('button', { class: 'linklike', text: label, onclick: function () { openRelated(target, related); } }),
        ]));
      });
      detail.appendChild(box);
    });
  }

  function openRelated(index, related) {
    openDocument(index, undefined, related);
    var anchor = document.getElementById('related-span');
    if (anchor) anchor.scrollIntoView({ block: 'center' });
  }

  // ---- duplicate and related passages, side by side
  var pairList = el('div', { id: 'pair-list' });
  var pairPager = el('div', { class: 'pager' });
  var pairSection = el('section', { class: 'panel', id: 'pairs' }, [
    el('h2', { text: 'Duplicate and related passages' }),
    el('p', { class: 'muted', text: 'Each finding that points at a passage elsewhere, shown beside it with the shared text marked.' }),
    pairList, pairPager,
  ]);
  root.appendChild(pairSection);
  var allPairs = [];
  var seenPairs = {};
  files.forEach(function (file, fileIndex) {
    file.messages.forEach(function (message, messageIndex) {
      if (!message.related || variantRules.indexOf(message.ruleId) >= 0) return;
      message.related.slice(0, 3).forEach(function (related) {
        // A pair reported from both sides (A repeats B, B repeats A) is shown once.
        var here = keyOf(file.path, file.line) + '@' + message.start + '-' + message.end;
        var there = keyOf(related.path, related.documentLine) + '@' + related.start + '-' + related.end;
        var pairKey = message.ruleId + ' ' + [here, there].sort().join(' ');
        if (seenPairs[pairKey]) return;
        seenPairs[pairKey] = true;
        allPairs.push({ file: fileIndex, message: messageIndex, related: related });
      });
    });
  });

  function passage(file, start, end, severity, title) {
    var box = el('div', { class: 'passage' }, [el('div', { class: 'passage-title', text: title })]);
    var text = el('div', { class: 'doc-text small' });
    if (!file || !file.text) {
      text.appendChild(el('span', { class: 'muted', text: 'Text not available.' }));
    } else {
      var from = Math.max(0, start - PAIR_CONTEXT);
      var to = Math.min(file.text.length, end + PAIR_CONTEXT);
      var before = textOf(file, from, start);
      var inside = textOf(file, start, end);
      var after = textOf(file, end, to);
      if (from > 0) text.appendChild(el('span', { class: 'muted', text: '\u2026' }));
      text.appendChild(document.createTextNode(before || ''));
      text.appendChild(el('mark', { class: 'shared sev-' + severity, text: inside === undefined ? '[text not kept]' : inside }));
      text.appendChild(document.createTextNode(after || ''));
      if (to < file.text.length) text.appendChild(el('span', { class: 'muted', text: '\u2026' }));
    }
    box.appendChild(text);
    return box;
  }

  function renderPairs() {
    var pairs = allPairs.filter(function (pair) {
      var file = files[pair.file];
      var message = file.messages[pair.message];
      var other = files[byKey[keyOf(pair.related.path, pair.related.documentLine)]];
      return matchesMessage(message) && (matchesFile(file) || (other && matchesFile(other)));
    });
    pairSection.hidden = allPairs.length === 0;
    clear(pairList);
    var pages = Math.max(1, Math.ceil(pairs.length / PAIRS_PER_PAGE));
    state.pairPage = Math.min(state.pairPage, pages - 1);
    pairs.slice(state.pairPage * PAIRS_PER_PAGE, (state.pairPage + 1) * PAIRS_PER_PAGE).forEach(function (pair) {
      var file = files[pair.file];
      var message = file.messages[pair.message];
      var related = pair.related;
      var otherIndex = byKey[keyOf(related.path, related.documentLine)];
      var otherName = related.documentLine !== undefined ? related.path + ':' + related.documentLine : related.path;
      pairList.appendChild(el('div', { class: 'pair', 'data-rule': message.ruleId }, [
        el('div', { class: 'pair-head' }, [
          el('span', { class: 'badge sev-' + message.severity, text: message.severity }), ' ', el('code', { text: message.ruleId }), ' ', message.message,
        ]),
        el('div', { class: 'pair-sides' }, [
          passage(file, message.start, message.end, message.severity, nameOf(file) + ' \u00b7 line ' + message.line),
          passage(files[otherIndex], related.start, related.end, message.severity, otherName + ' \u00b7 line ' + related.line),
        ]),
      ]));
    });
    if (pairs.length === 0) pairList.appendChild(el('p', { class: 'muted', text: 'No passage matches the filters.' }));
    renderPager(pairPager, state.pairPage, pages, function (page) { state.pairPage = page; renderPairs(); });
  }

  // ---- name variants, grouped by the expected form
  var groupList = el('div', { id: 'variant-list' });
  var groupPager = el('div', { class: 'pager' });
  var variantSection = el('section', { class: 'panel', id: 'variants' }, [
    el('h2', { text: 'Name variants' }),
    el('p', { class: 'muted', text: 'Spellings that differ from the form used elsewhere, grouped by the expected form, with counts and places.' }),
    groupList, groupPager,
  ]);
  root.appendChild(variantSection);

  function renderVariants() {
    var groups = {};
    var any = false;
    files.forEach(function (file, fileIndex) {
      file.messages.forEach(function (message, messageIndex) {
        if (variantRules.indexOf(message.ruleId) < 0) return;
        any = true;
        if (!matchesMessage(message) || !matchesFile(file)) return;
        var expected = message.expected && message.expected.length ? message.expected[0] : '(no expected form)';
        var group = groups[expected] || (groups[expected] = { expected: expected, total: 0, forms: {}, elsewhere: 0 });
        var form = message.actual !== undefined ? message.actual : textOf(file, message.start, message.end) || message.message;
        var entry = group.forms[form] || (group.forms[form] = { form: form, places: [] });
        entry.places.push({ file: fileIndex, message: messageIndex });
        group.total++;
        group.elsewhere = Math.max(group.elsewhere, (message.related || []).length);
      });
    });
    variantSection.hidden = !any;
    var list = Object.keys(groups).map(function (key) { return groups[key]; }).sort(function (a, b) { return b.total - a.total || a.expected.localeCompare(b.expected); });
    clear(groupList);
    var pages = Math.max(1, Math.ceil(list.length / GROUPS_PER_PAGE));
    state.groupPage = Math.min(state.groupPage, pages - 1);
    list.slice(state.groupPage * GROUPS_PER_PAGE, (state.groupPage + 1) * GROUPS_PER_PAGE).forEach(function (group) {
      var body = el('tbody');
      Object.keys(group.forms).map(function (key) { return group.forms[key]; }).sort(function (a, b) { return b.places.length - a.places.length; }).forEach(function (entry) {
        var places = el('td', { class: 'places' });
        entry.places.slice(0, 12).forEach(function (place) {
          var file = files[place.file];
          var message = file.messages[place.message];
          places.appendChild(el('button', { class: 'linklike place', text: nameOf(file) + ':' + message.line + ':' + message.column, onclick: function () {
            openDocument(place.file, place.message);
            document.getElementById('document').scrollIntoView();
          } }));
        });
        if (entry.places.length > 12) places.appendChild(el('span', { class: 'muted', text: ' and ' + (entry.places.length - 12) + ' more' }));
        body.appendChild(el('tr', null, [el('td', null, [el('mark', { class: 'variant', text: entry.form })]), el('td', { class: 'num', text: entry.places.length }), places]));
      });
      groupList.appendChild(el('div', { class: 'group', 'data-expected': group.expected }, [
        el('h3', null, ['Expected ', el('q', { text: group.expected }), el('span', { class: 'muted', text: ' \u00b7 ' + group.total + ' variant' + (group.total === 1 ? '' : 's') + (group.elsewhere ? ' \u00b7 ' + group.elsewhere + ' place' + (group.elsewhere === 1 ? '' : 's') + ' with the expected form' : '') })]),
        el('table', { class: 'variants' }, [el('thead', null, [el('tr', null, [el('th', { text: 'Form found' }), el('th', { class: 'num', text: 'Count' }), el('th', { text: 'Places' })])]), body]),
      ]));
    });
    if (any && list.length === 0) groupList.appendChild(el('p', { class: 'muted', text: 'No variant matches the filters.' }));
    renderPager(groupPager, state.groupPage, pages, function (page) { state.groupPage = page; renderVariants(); });
  }

  function renderAll() {
    renderDocuments();
    if (state.current >= 0) openDocument(state.current);
    renderPairs();
    renderVariants();
  }

  renderAll();
  var first = rowsOf()[0];
  if (first) openDocument(first.index);
  document.body.setAttribute('data-ready', 'true');
})();
