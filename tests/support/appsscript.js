// Runs the repo's Apps Scripts (docs/forms/*.gs) in node with stand-ins for the Apps Script services,
// so tests check what the real script code signs, posts, queues and creates.
// stdin: {scripts, properties, now (unix s), call, args, event, fetch: [status | "throw", ...]}
// stdout: {result, fetches, properties, forms, triggers, logs}
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const vm = require('vm');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const properties = Object.assign({}, input.properties || {});
const fetchAnswers = (input.fetch || []).slice();
const out = {fetches: [], forms: [], triggers: [], logs: []};
let nextId = 1000;

const Utilities = {
  Charset: {UTF_8: 'UTF-8'},
  computeHmacSha256Signature(value, key, charset) {
    if (charset !== 'UTF-8') throw new Error('charset must be UTF_8');
    const digest = crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(Buffer.from(value, 'utf8')).digest();
    return Array.from(digest, (b) => (b > 127 ? b - 256 : b)); // Java's signed bytes
  },
};
const PropertiesService = {
  getScriptProperties() {
    return {
      getProperty: (k) => (k in properties ? properties[k] : null),
      setProperty: (k, v) => { properties[k] = String(v); },
      deleteProperty: (k) => { delete properties[k]; },
      getProperties: () => Object.assign({}, properties),
    };
  },
};
const UrlFetchApp = {
  fetch(url, options) {
    const answer = fetchAnswers.length ? fetchAnswers.shift() : 200;
    out.fetches.push({url, options});
    if (answer === 'throw') throw new Error('DNS error');
    return {getResponseCode: () => answer, getContentText: () => 'answer ' + answer};
  },
};
const LockService = {getScriptLock: () => ({tryLock: () => true, releaseLock() {}})};

function triggerBuilder(handler) {
  const t = {handler};
  const b = {
    forForm(form) { t.form = form.getId(); return b; },
    onFormSubmit() { t.event = 'formSubmit'; return b; },
    timeBased() { t.event = 'time'; return b; },
    everyMinutes(n) { t.minutes = n; return b; },
    create() { out.triggers.push(t); return {getHandlerFunction: () => handler}; },
  };
  return b;
}
const ScriptApp = {
  newTrigger: triggerBuilder,
  getProjectTriggers: () => out.triggers.map((t) => ({getHandlerFunction: () => t.handler})),
  deleteTrigger() {},
};

function item(kind, form) {
  const it = {kind, id: nextId++, title: '', choices: null, required: false};
  form.items.push(it);
  const api = {
    setTitle(t) { it.title = t; return api; },
    setChoiceValues(c) { it.choices = c; return api; },
    setRequired(r) { it.required = r; return api; },
    getId: () => it.id,
    createResponse: (v) => ({item: it, value: v}),
  };
  return api;
}
function newForm(title) {
  const form = {id: 'form' + nextId++, title, description: '', items: []};
  out.forms.push(form);
  const api = {
    getId: () => form.id,
    getPublishedUrl: () => 'https://docs.google.com/forms/d/e/1FAIpQL' + form.id + '/viewform',
    setDescription(d) { form.description = d; return api; },
    createResponse() {
      const parts = [];
      const r = {
        withItemResponse(ir) { parts.push('entry.' + ir.item.id + '=' + encodeURIComponent(ir.value)); return r; },
        toPrefilledUrl: () => api.getPublishedUrl() + '?usp=pp_url&' + parts.join('&'),
      };
      return r;
    },
  };
  for (const kind of ['TextItem', 'MultipleChoiceItem', 'ParagraphTextItem', 'ListItem', 'CheckboxItem',
                      'SectionHeaderItem']) {
    api['add' + kind] = () => item(kind, form);
  }
  return api;
}
const FormApp = {
  create: newForm,
  openById: (id) => ({getId: () => id}),
};

// An onFormSubmit event as Apps Script builds it, from {formId, responseId, submittedAt, answers}.
function event(e) {
  return {
    source: {getId: () => e.formId},
    response: {
      getId: () => e.responseId,
      getTimestamp: () => new Date(e.submittedAt),
      getItemResponses: () => e.answers.map((a) => ({
        getItem: () => ({getId: () => a.itemId, getTitle: () => a.title}),
        getResponse: () => a.value,
      })),
    },
  };
}

const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) { super(...(args.length ? args : [input.now * 1000])); }
  static now() { return input.now * 1000; }
}
const context = {Utilities, PropertiesService, UrlFetchApp, LockService, ScriptApp, FormApp, Date: FixedDate,
                 JSON, Object, String, Math, Error,
                 console: {log: (m) => out.logs.push(m), warn: (m) => out.logs.push(m), error: (m) => out.logs.push(m)}};
vm.createContext(context);
for (const script of input.scripts) {
  vm.runInContext(fs.readFileSync(script, 'utf8'), context, {filename: script});
}
const args = input.event ? [event(input.event)] : (input.args || []);
const result = context[input.call](...args);
out.result = result && result.getId ? result.getId() : (result === undefined ? null : result);
out.properties = properties;
process.stdout.write(JSON.stringify(out));
