/**
 * Jaring: post every answer of the office's forms to the form_submit function, signed.
 *
 * Script properties (Project Settings > Script properties):
 *   JARING_URL             the form_submit function's URL
 *   FORMS_WEBHOOK_SECRET   the same secret the function has
 *   KIND_<formId>          "skm" or "logbook" (setup.gs sets it for the forms it creates)
 * The signature is HMAC-SHA256 of "<unix seconds>.<body>" in hex, sent with the time in headers;
 * the function refuses posts older than five minutes, so a retry signs again.
 * Apps Script does not retry a failed trigger: an answer that could not be posted is queued in
 * the script properties and jaringRetryFailed (every 10 minutes, see jaringInstallRetry) resends it.
 */
var JARING_QUEUE = 'QUEUE_';
var JARING_MAX_TRIES = 144; // ten-minute retries for a day

/** The installable "On form submit" trigger. */
function onJaringFormSubmit(e) {
  var payload = jaringPayload_(e.source, e.response);
  if (jaringPost_(payload) === 'retry') {
    jaringQueue_(payload, 1);
  }
}

function jaringPayload_(form, response) {
  var props = PropertiesService.getScriptProperties();
  return {
    kind: props.getProperty('KIND_' + form.getId()) || 'skm',
    formId: form.getId(),
    responseId: response.getId(),
    submittedAt: response.getTimestamp().toISOString(),
    answers: response.getItemResponses().map(function (answer) {
      var item = answer.getItem();
      return {itemId: String(item.getId()), title: item.getTitle(), value: answer.getResponse()};
    })
  };
}

/** Hex HMAC-SHA256; Apps Script returns signed bytes (-128..127), hence the mask. */
function jaringSign_(secret, timestamp, body) {
  var bytes = Utilities.computeHmacSha256Signature(timestamp + '.' + body, secret, Utilities.Charset.UTF_8);
  return bytes.map(function (b) { return ('0' + (b & 0xff).toString(16)).slice(-2); }).join('');
}

/** 'ok' (stored, or stored before), 'rejected' (4xx: retrying cannot help) or 'retry'. */
function jaringPost_(payload) {
  var props = PropertiesService.getScriptProperties();
  var body = JSON.stringify(payload);
  var timestamp = String(Math.floor(Date.now() / 1000));
  var signature = jaringSign_(props.getProperty('FORMS_WEBHOOK_SECRET'), timestamp, body);
  var res;
  try {
    res = UrlFetchApp.fetch(props.getProperty('JARING_URL'), {
      method: 'post',
      contentType: 'application/json; charset=utf-8',
      payload: body,
      headers: {'X-Jaring-Timestamp': timestamp, 'X-Jaring-Signature': signature},
      muteHttpExceptions: true
    });
  } catch (err) {
    console.warn('Jaring unreachable for response ' + payload.responseId + ': ' + err);
    return 'retry';
  }
  var code = res.getResponseCode();
  if (code < 300) {
    return 'ok';
  }
  if (code === 429 || code >= 500) {
    return 'retry';
  }
  console.error('Jaring refused response ' + payload.responseId + ' (' + code + '): ' + res.getContentText());
  return 'rejected';
}

function jaringQueue_(payload, tries) {
  PropertiesService.getScriptProperties().setProperty(
    JARING_QUEUE + payload.responseId, JSON.stringify({payload: payload, tries: tries}));
}

/** Time-driven: resend queued answers; drop those refused or tried for a day (logged). */
function jaringRetryFailed() {
  var lock = LockService.getScriptLock();
  if (!lock.tryLock(1000)) {
    return;
  }
  try {
    var props = PropertiesService.getScriptProperties();
    var all = props.getProperties();
    Object.keys(all).filter(function (key) { return key.indexOf(JARING_QUEUE) === 0; }).forEach(function (key) {
      var queued = JSON.parse(all[key]);
      var outcome = jaringPost_(queued.payload);
      if (outcome === 'retry' && queued.tries + 1 < JARING_MAX_TRIES) {
        jaringQueue_(queued.payload, queued.tries + 1);
      } else {
        if (outcome === 'retry') {
          console.error('Jaring: giving up on response ' + queued.payload.responseId + ' after a day');
        }
        props.deleteProperty(key);
      }
    });
  } finally {
    lock.releaseLock();
  }
}

/** Run once: the ten-minute retry of answers that could not be posted. */
function jaringInstallRetry() {
  ScriptApp.getProjectTriggers().forEach(function (trigger) {
    if (trigger.getHandlerFunction() === 'jaringRetryFailed') {
      ScriptApp.deleteTrigger(trigger);
    }
  });
  ScriptApp.newTrigger('jaringRetryFailed').timeBased().everyMinutes(10).create();
}

/** For an office's existing form: run with its id to post its answers too (kind "skm" or "logbook"). */
function jaringConnectForm(formId, kind) {
  var form = FormApp.openById(formId);
  ScriptApp.newTrigger('onJaringFormSubmit').forForm(form).onFormSubmit().create();
  PropertiesService.getScriptProperties().setProperty('KIND_' + form.getId(), kind);
  return form;
}
