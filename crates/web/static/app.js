/* Meet the Parents: small enhancements only; every page also works without this file. */
(function () {
  'use strict';

  // 1. Focus the error summary (it has tabindex="-1") so it is seen and read out first.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  // 2. Double-submit guard. For 1 s after a submit, further submits of that form are ignored and its
  //    submit buttons get aria-disabled="true". Never the disabled attribute: the clicked button's
  //    name/value must still be sent. The server dedupes anyway (idempotency key).
  var LOCK_MS = 1000;
  var locks = []; // { form, buttons }

  function lockOf(form) {
    for (var i = 0; i < locks.length; i++) if (locks[i].form === form) return locks[i];
    return null;
  }

  function release(lock) {
    var i = locks.indexOf(lock);
    if (i !== -1) locks.splice(i, 1);
    lock.buttons.forEach(function (b) { b.removeAttribute('aria-disabled'); });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (lockOf(form)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var lock = { form: form, buttons: [] };
    locks.push(lock);
    setTimeout(function () { // after the event has been dispatched
      Array.prototype.forEach.call(form.elements || [], function (el) {
        if ((el.type === 'submit' || el.type === 'image') && !el.hasAttribute('aria-disabled')) {
          el.setAttribute('aria-disabled', 'true');
          lock.buttons.push(el);
        }
      });
      setTimeout(function () { release(lock); }, LOCK_MS);
    }, 0);
  }, true); // capture phase: a blocked resubmit never reaches form-level handlers

  // Back/forward cache: a restored page must not stay locked.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) locks.slice().forEach(release);
  });
  // 3. Check-in at the door. A tap shows at once and goes into a queue kept on the device
  //    (localStorage); the queue is sent in order whenever there is a connection. Each tap has its
  //    own key, so a tap sent twice (the answer got lost) is counted once by the server.
  var door = document.querySelector('.door-list');
  var bar = document.getElementById('offline-bar');
  var QUEUE = 'mtp-checkin-queue';
  if (door && bar && window.fetch && window.localStorage && window.URLSearchParams) {
    var sending = false;
    var retry = null;

    var load = function () {
      try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch (e) { return []; }
    };
    var save = function (q) { localStorage.setItem(QUEUE, JSON.stringify(q)); };
    var newKey = function () {
      if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
      var b = new Uint8Array(16);
      crypto.getRandomValues(b);
      return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    };
    var csrf = function () {
      var el = document.querySelector('input[name="_csrf"]');
      return el ? el.value : '';
    };
    var card = function (household) { return document.getElementById('h-' + household); };

    // Show a card as checked in (or not), whatever the server knows yet.
    var show = function (household, inside) {
      var c = card(household);
      if (!c) return;
      c.classList.toggle('door-card--in', inside);
      c.querySelector('.door-card__state').hidden = !inside;
      c.querySelector('.door-card__in').hidden = inside;
      c.querySelector('.door-card__undo').hidden = !inside;
    };
    var count = function () {
      var el = document.getElementById('door-count');
      if (!el) return;
      var present = document.querySelectorAll('.door-card--in').length;
      el.textContent = el.getAttribute('data-template').replace('%n', present + ' / ' + el.getAttribute('data-expected'));
    };
    var status = function (message) {
      var q = load();
      if (message) {
        bar.textContent = message;
      } else if (q.length) {
        bar.textContent = (navigator.onLine ? '' : bar.getAttribute('data-offline') + ' ') +
          bar.getAttribute('data-pending') + ' ' + q.map(function (i) { return i.name; }).join(', ');
      }
      bar.hidden = !message && !q.length;
    };

    var send = function () {
      var q = load();
      if (sending || !q.length) return;
      sending = true;
      var item = q[0];
      var body = new URLSearchParams(item.body);
      body.set('_csrf', csrf());
      fetch(item.url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.toString()
      }).then(function (res) {
        if (res.status >= 500 || res.status === 401 || res.status === 403) throw new Error('later');
        return res.json().catch(function () { return {}; }).then(function (answer) {
          var rest = load().filter(function (i) { return i.key !== item.key; });
          save(rest);
          sending = false;
          if (!res.ok) {
            // Refused for good (outside the audience, cancelled): undo the tap on screen and say why.
            show(item.household, item.action !== 'in');
            count();
            status(bar.getAttribute('data-refused') + ' ' + item.name + '. ' + (answer.message || ''));
            return;
          }
          if (rest.length) { send(); } else { status(bar.getAttribute('data-synced')); setTimeout(function () { status(''); }, 3000); }
        });
      }).catch(function () {
        sending = false;
        status('');
        if (!retry) retry = setTimeout(function () { retry = null; send(); }, 5000);
      });
    };

    document.addEventListener('submit', function (event) {
      var form = event.target;
      if (!form.classList || !form.classList.contains('door-form')) return;
      event.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      var key = newKey();
      data.set('key', key);
      // The button pressed says what the tap is: check in, or undo.
      var action = event.submitter && event.submitter.value === 'undo' ? 'undo' : 'in';
      data.set('status', action === 'undo' ? 'undo' : 'present');
      var household = data.get('household');
      var q = load();
      q.push({ url: form.action, body: data.toString(), key: key, household: household, action: action, name: form.getAttribute('data-name') });
      save(q);
      show(household, action === 'in');
      count();
      status('');
      send();
    });

    window.addEventListener('online', send);
    // Taps still queued from before a reload show as made, and go out now.
    load().forEach(function (i) { if (i.url === location.origin + location.pathname) show(i.household, i.action === 'in'); });
    count();
    status('');
    send();
  }
})();

/* ---------------------------------------------------------------------------------------------
 * 4. Import progress (UI.md §3.8, decision (m)). A form with data-progress="<id>" (the import
 *    wizard's forms) is sent by this script, so the page can show that something is happening:
 *    a <progress> with the upload percentage while the file goes up, then the phase the server
 *    is in ("We controleren 10.000 rijen…") until it answers. The server does the work in one
 *    request (the import in one transaction), so that phase has no percentage. The status text
 *    is a polite live region, changed at 0, 25, 50 and 75 % and at the phase change.
 *    The request carries X-Mtp-Progress; the server then answers a redirect with 204 and
 *    X-Mtp-Location, which we load as a normal page (so it is fetched once, flash message
 *    included). Any other answer (the form with its errors, an error page) replaces the page.
 *    The upload form keeps its CSRF token in its action URL (decision (l)); the other forms
 *    are sent url-encoded with the token in the body, as without JavaScript.
 * ------------------------------------------------------------------------------------------- */
(function () {
  'use strict';
  if (!window.XMLHttpRequest || !window.FormData || !window.URLSearchParams || !window.DOMParser) return;
  var busy = false;

  var parts = function (box) {
    return { bar: box.querySelector('progress'), text: box.querySelector('[role="status"]') };
  };
  var reset = function (box, message) {
    var el = parts(box);
    el.bar.hidden = true;
    el.text.textContent = message || '';
    busy = false;
  };

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var id = form.getAttribute && form.getAttribute('data-progress');
    var box = id && document.getElementById(id);
    if (!box || event.defaultPrevented) return;
    event.preventDefault();
    if (busy) return; // one request at a time; the server also refuses to import twice
    busy = true;
    var el = parts(box);
    var action = form.action;
    var multipart = (form.getAttribute('enctype') || '').toLowerCase() === 'multipart/form-data';
    var data = new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', action);
    xhr.setRequestHeader('X-Mtp-Progress', '1');
    var reveal = function () { // below the button on a phone: keep it in view
      if (box.scrollIntoView) box.scrollIntoView({ block: 'nearest' });
    };
    var working = function () {
      el.bar.removeAttribute('value'); // indeterminate: the server is at work
      el.text.textContent = box.getAttribute('data-working');
      reveal();
    };
    el.bar.hidden = false;
    if (multipart && xhr.upload) {
      var sending = box.getAttribute('data-sending');
      var step = -1;
      var upload = function (percent) {
        el.bar.value = percent;
        if (percent < 100 && Math.floor(percent / 25) !== step) {
          step = Math.floor(percent / 25);
          el.text.textContent = sending.replace('%n', String(step * 25));
        }
      };
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable && e.total > 0) upload(Math.floor(e.loaded * 100 / e.total));
      });
      xhr.upload.addEventListener('load', working);
      upload(0);
    } else {
      working();
    }
    reveal();
    xhr.addEventListener('load', function () {
      var to = xhr.getResponseHeader('X-Mtp-Location');
      if (to || (xhr.responseURL && xhr.responseURL !== action)) {
        location.assign(to || xhr.responseURL); // e.g. signed out meanwhile: the sign-in page
        return;
      }
      var page = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      if (!page.body) { reset(box, box.getAttribute('data-failed')); return; }
      document.title = page.title;
      document.body.replaceWith(document.adoptNode(page.body));
      busy = false;
      var focus = document.querySelector('.error-summary') || document.getElementById('inhoud');
      if (focus) focus.focus();
      window.scrollTo(0, 0);
    });
    xhr.addEventListener('error', function () { reset(box, box.getAttribute('data-failed')); });
    xhr.addEventListener('abort', function () { reset(box, ''); });
    if (multipart) {
      xhr.send(data);
    } else {
      xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
      xhr.send(new URLSearchParams(data).toString());
    }
  });

  // Back to a wizard page kept in the back/forward cache: no indicator left running.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll('form[data-progress]'), function (form) {
      var box = document.getElementById(form.getAttribute('data-progress'));
      if (box) reset(box, '');
    });
  });
})();

/* ---------------------------------------------------------------------------------------------
 * 5. Encouragement worklist (UI.md §3.6). Saving an outcome goes in the background to the same
 *    address as the form, with the page's CSRF token in X-CSRF-Token and Accept:
 *    application/json. The card then moves to the collapsed "Gedaan" section (except "try
 *    again later", which stays open), the progress in the role="status" line is updated, and
 *    focus goes to the next open card's heading, so a worker on a phone goes from family to
 *    family. A form with errors (422) or any other answer is sent again the ordinary way, so
 *    the server shows the page with its messages exactly as without JavaScript.
 * ------------------------------------------------------------------------------------------- */
(function () {
  'use strict';
  var list = document.querySelector('.encourage-open');
  var status = document.getElementById('encourage-progress');
  var done = document.querySelector('.encourage-done');
  if (!list || !status || !done || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var saved = status.querySelector('.encourage-saved');
  var sending = false;

  var say = function (progress, message) {
    if (progress) status.querySelector('strong').textContent = progress;
    saved.textContent = message || '';
  };

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains('encourage-form') || event.defaultPrevented) return;
    event.preventDefault();
    if (sending) return;
    sending = true;
    var card = form.closest('.encourage-card');
    var data = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Accept': 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-CSRF-Token': data.get('_csrf') || ''
      },
      body: data.toString()
    }).then(function (res) {
      var json = (res.headers.get('Content-Type') || '').indexOf('application/json') === 0;
      if (!res.ok || !json) {
        // The server's page says what is wrong (and keeps what was typed): show it.
        sending = false;
        form.submit();
        return null;
      }
      return res.json();
    }).then(function (answer) {
      if (!answer) return;
      sending = false;
      // The next open card is the one after this one, or else the first one left.
      var open = Array.prototype.slice.call(list.children);
      var at = open.indexOf(card);
      var next = at === -1 ? open[0] : (open[at + 1] || (open[0] === card ? null : open[0]));
      if (answer.done) {
        var outcome = card.querySelector('.encourage-card__outcome');
        if (outcome) { outcome.textContent = answer.outcome; outcome.hidden = false; }
        form.reset();
        done.querySelector('ul').appendChild(card);
        done.hidden = false;
        done.querySelector('.encourage-done-count').textContent = String(done.querySelectorAll('.encourage-card').length);
      }
      say(answer.progress, answer.message);
      var heading = next && next !== card ? next.querySelector('h2') : null;
      if (heading) {
        heading.focus();
      } else {
        status.setAttribute('tabindex', '-1');
        status.focus();
      }
    }).catch(function () {
      sending = false;
      say('', status.getAttribute('data-not-saved'));
    });
  });
})();
