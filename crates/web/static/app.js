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
  var locks = []; // { form, who, buttons }

  // The check-in page is one form for all its cards (docs/ui.md §3.5): there a lock holds one
  // family's buttons (the button's name), so the next family can be tapped at once while a
  // double tap on one card (the undo appears where the button was) still does nothing.
  function whoOf(form, event) {
    return form.id === 'd' && event && event.submitter ? event.submitter.name : '';
  }

  function lockOf(form, who) {
    for (var i = 0; i < locks.length; i++) if (locks[i].form === form && locks[i].who === (who || '')) return locks[i];
    return null;
  }

  function release(lock) {
    var i = locks.indexOf(lock);
    if (i !== -1) locks.splice(i, 1);
    lock.buttons.forEach(function (b) { b.removeAttribute('aria-disabled'); });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var who = whoOf(form, event);
    if (lockOf(form, who)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var lock = { form: form, who: who, buttons: [] };
    locks.push(lock);
    setTimeout(function () { // after the event has been dispatched
      Array.prototype.forEach.call(form.elements || [], function (el) {
        if (who && el.name !== who) return;
        if ((el.type === 'submit' || el.type === 'image') && !el.hasAttribute('aria-disabled')) {
          el.setAttribute('aria-disabled', 'true');
          lock.buttons.push(el);
        }
      });
      setTimeout(function () { release(lock); }, LOCK_MS);
    }, 0);
  }, true); // capture phase: a blocked resubmit never reaches form-level handlers

  // Signing out deletes the check-in pages kept on this phone (door-sw.js).
  document.addEventListener('submit', function (event) {
    var action = event.target.getAttribute && event.target.getAttribute('action');
    if (action !== '/logout' || !window.caches) return;
    caches.keys().then(function (keys) {
      keys.forEach(function (k) { if (k.indexOf('mtp-door-') === 0) caches.delete(k); });
    });
  });

  // Back/forward cache: a restored page must not stay locked.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) locks.slice().forEach(release);
  });
  // 3. Check-in at the door. A tap shows at once and goes into a queue kept on the device
  //    (localStorage); the queue is sent in order whenever there is a connection. Each tap has its
  //    own key, so a tap sent twice (the answer got lost) is counted once by the server.
  //    A walk-in ("Nieuw gezin?") joins the same queue with its form's key: its card shows at once
  //    at the top, and becomes the new household's card when the server has made it. A walk-in
  //    the server refuses stays on its card with the server's words until the host changes or
  //    deletes it, so nothing typed at the door disappears unseen.
  //    "Iemand anders?" is a search (a GET form): as the host types, the results alone are asked
  //    for (?part=results) and put in place; a family found and checked in moves onto the list.
  //    The page registers door-sw.js, which keeps today's check-in pages on the phone, so the
  //    page opens again without a network (docs/ui.md §3.5).
  var door = document.querySelector('.door-list');
  var bar = document.getElementById('offline-bar');
  var walkForm = document.querySelector('.walk-in-form');
  var pattern = document.getElementById('walk-in-card');
  var QUEUE = 'mtp-checkin-queue';
  if (door && bar && window.fetch && window.localStorage && window.URLSearchParams) {
    var sending = false;
    var retry = null;
    var here = location.pathname;
    var each = function (list, f) { Array.prototype.forEach.call(list, f); };

    var load = function () {
      try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch (e) { return []; }
    };
    var save = function (q) { localStorage.setItem(QUEUE, JSON.stringify(q)); };
    // Refused walk-ins stay in the queue (so a reload shows them) but are not sent again.
    var pending = function () { return load().filter(function (i) { return !i.refused; }); };
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

    // "Aanwezig 09:42": the time of the tap, as the server will keep it.
    var stamp = function (c, at) {
      var t = c.querySelector('.door-card__time'), now = at || new Date();
      if (t) t.textContent = ('0' + now.getHours()).slice(-2) + ':' + ('0' + now.getMinutes()).slice(-2);
    };
    // The parts of a card the server left out because its state did not need them (the tag
    // and undo of a family not in yet, the check-in of one that is), from the walk-in pattern.
    var PARTS = ['.door-card__state', '.door-card__in', '.door-card__undo'];
    // A card's buttons are named after its household, its children field too (the page's one
    // form, docs/ui.md §3.5): the pattern's parts take the card's household.
    var own = function (el, household) {
      each(el.querySelectorAll('[name^="h-"]'), function (b) { b.name = 'h-' + household; });
      each(el.querySelectorAll('[name^="c-"]'), function (i) { i.name = 'c-' + household; });
    };
    var complete = function (c) {
      if (!pattern || c.id.indexOf('h-') !== 0) return;
      var name = c.querySelector('h2').textContent;
      PARTS.forEach(function (sel) {
        if (c.querySelector(sel)) return;
        var el = pattern.content.firstElementChild.querySelector(sel).cloneNode(true);
        named(el, name);
        own(el, c.id.slice(2));
        if (sel === PARTS[0]) {
          c.querySelector('h2').after(el);
        } else if (sel === PARTS[1]) {
          var input = el.querySelector('input');
          input.id = 'children-' + c.id;
          input.value = '0';
          el.querySelector('label').htmlFor = input.id;
          c.insertBefore(el, c.querySelector(PARTS[2]));
        } else {
          c.querySelector(PARTS[1]).after(el);
        }
      });
    };
    // Show a card as checked in (or not), whatever the server knows yet.
    var show = function (household, inside) {
      var c = card(household);
      if (!c) return;
      complete(c);
      c.classList.toggle('door-card--in', inside);
      c.querySelector('.door-card__state').hidden = !inside;
      if (inside) stamp(c);
      c.querySelector('.door-card__in').hidden = inside;
      c.querySelector('.door-card__undo').hidden = !inside;
    };
    // "Nog niet verstuurd" on a card while something of it waits in the queue.
    var waiting = function (c, on) {
      var w = c && c.querySelector('.door-card__wait');
      if (!c || !on === !w) return;
      if (w) { w.remove(); return; }
      w = document.createElement('p');
      w.className = 'door-card__wait';
      w.textContent = bar.getAttribute('data-wait');
      c.querySelector('.door-card__state').after(w);
    };
    var count = function () {
      var el = document.getElementById('door-count');
      if (!el) return;
      var present = document.querySelectorAll('.door-card--in').length;
      // The server's count does not know the walk-ins made on this page since it was loaded.
      // Nor the families found by a search and checked in here.
      var expected = +el.getAttribute('data-expected') + document.querySelectorAll('.door-card--walk:not(.door-card--refused), .door-list .door-card--found').length;
      el.textContent = el.getAttribute('data-template').replace('%n', present + ' / ' + expected);
    };
    var status = function (message) {
      var q = pending();
      if (message) {
        bar.textContent = message;
      } else if (q.length) {
        bar.textContent = (navigator.onLine ? '' : bar.getAttribute('data-offline') + ' ') +
          bar.getAttribute('data-pending') + ' ' + q.map(function (i) { return i.name; }).join(', ');
      }
      bar.hidden = !message && !q.length;
    };

    // A walk-in's card, from the page's pattern, until the server has made the household.
    var named = function (el, name) { each(el.querySelectorAll('.vh'), function (s) { if (s.parentNode.tagName !== 'P') s.textContent = ' ' + name; }); };
    var refuse = function (c, item) {
      c.classList.remove('door-card--in');
      c.classList.add('door-card--refused');
      c.querySelector('.door-card__state').hidden = true;
      var r = c.querySelector('.door-card__refused');
      if (!r) {
        r = pattern.content.lastElementChild.cloneNode(true);
        named(r, item.name);
        c.appendChild(r);
      }
      r.querySelector('.error-message span:last-child').textContent = item.refused;
    };
    var walkCard = function (item) {
      var c = pattern.content.firstElementChild.cloneNode(true);
      var input = c.querySelector('.door-card__in input');
      c.id = 'w-' + item.key;
      c.classList.add('door-card--walk');
      stamp(c, new Date(new URLSearchParams(item.body).get('at') || Date.now()));
      c.querySelector('h2').textContent = item.name;
      c.querySelector('h2').tabIndex = -1;
      // Nothing to tap until the server has made the household.
      c.querySelector('.door-card__undo').hidden = true;
      input.id = 'children-' + c.id;
      input.value = new URLSearchParams(item.body).get('children') || '0';
      c.querySelector('label').htmlFor = input.id;
      named(c, item.name);
      door.insertBefore(c, door.firstChild);
      waiting(c, true);
      if (item.refused) refuse(c, item);
      return c;
    };
    // The server made the household (or had made it for this key before): a card like any other.
    var made = function (c, household) {
      var other = card(household);
      if (other && other !== c) { c.remove(); show(household, true); return; }
      var input = c.querySelector('.door-card__in input');
      c.id = 'h-' + household;
      own(c, household);
      input.id = 'children-' + household;
      c.querySelector('label').htmlFor = input.id;
      c.querySelector('.door-card__undo').hidden = false;
      waiting(c, false);
    };

    var send = function () {
      var q = pending();
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
        // A redirect (to the sign-in page) is no answer to the tap: keep it for later.
        if (res.status >= 500 || res.status === 401 || res.status === 403 || res.redirected) throw new Error('later');
        return res.json().catch(function () { return {}; }).then(function (answer) {
          var all = load();
          var rest = all.filter(function (i) { return i.key !== item.key; });
          sending = false;
          if (item.walk) {
            var c = document.getElementById('w-' + item.key);
            if (!res.ok || !answer.household) {
              item.refused = answer.message || bar.getAttribute('data-refused');
              item.field = answer.field;
              save(all.map(function (i) { return i.key === item.key ? item : i; }));
              if (c) refuse(c, item);
              count();
              status(bar.getAttribute('data-refused') + ' ' + item.name + '. ' + item.refused);
              send();
              return;
            }
            save(rest);
            if (c) made(c, answer.household);
          } else {
            save(rest);
            if (!rest.some(function (i) { return i.household === item.household; })) waiting(card(item.household), false);
            if (!res.ok) {
              // Refused for good (outside the audience, cancelled): undo the tap on screen and say why.
              show(item.household, item.action !== 'in');
              count();
              status(bar.getAttribute('data-refused') + ' ' + item.name + '. ' + (answer.message || ''));
              return;
            }
          }
          count();
          if (pending().length) { send(); } else { status(item.walk ? answer.message : bar.getAttribute('data-synced')); setTimeout(function () { status(''); }, 3000); }
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
      // The page's one form: the button pressed names the household (h-{id}) and says what
      // the tap is, check in or undo; the tap goes out alone, with its own key. A browser
      // that does not say which button was pressed sends the form as without a script.
      var by = event.submitter;
      var c = by && by.name && by.name.indexOf('h-') === 0 ? card(by.name.slice(2)) : null;
      if (!c) return;
      event.preventDefault();
      var household = by.name.slice(2);
      var action = by.value === 'undo' ? 'undo' : 'in';
      var field = c.querySelector('.door-card__in input');
      var key = newKey();
      var data = new URLSearchParams();
      data.set('household', household);
      data.set('status', action === 'undo' ? 'undo' : 'present');
      data.set('children', field ? field.value : '0');
      data.set('key', key);
      // The server keeps the time of the tap, not of the sync (a tap made offline).
      data.set('at', new Date().toISOString());
      var q = load();
      var name = c.querySelector('h2').textContent;
      q.push({ url: form.action, body: data.toString(), key: key, household: household, action: action, name: name });
      save(q);
      show(household, action === 'in');
      waiting(card(household), true);
      // A family found by a search joins the list, at the top; focus follows it.
      var found = card(household);
      if (found && found.closest('.door-results')) {
        found.classList.add('door-card--found');
        door.insertBefore(found, door.firstChild);
        found.querySelector('h2').tabIndex = -1;
        found.querySelector('h2').focus();
      }
      count();
      status('');
      send();
    });

    if (walkForm && pattern && window.FormData) {
      var f = walkForm.elements;
      walkForm.addEventListener('submit', function (event) {
        if (event.defaultPrevented) return;
        event.preventDefault();
        // The obvious faults are shown here, in the server's words; the server still judges.
        each(walkForm.querySelectorAll('.error-message'), function (m) { m.remove(); });
        each(walkForm.querySelectorAll('[aria-invalid], [aria-describedby]'), function (el) {
          el.removeAttribute('aria-invalid');
          var ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return document.getElementById(id); });
          if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
        });
        var bad = [];
        if (!f.first_name.value.trim()) bad.push([f.first_name, 'data-first-name']);
        if (!f.consent.checked) bad.push([f.consent, 'data-consent']);
        bad.forEach(function (b) {
          var m = document.createElement('p');
          var prefix = document.createElement('span');
          m.className = 'error-message';
          m.id = b[0].id + '-error';
          prefix.className = 'vh';
          prefix.textContent = walkForm.getAttribute('data-prefix') + ':';
          m.append(prefix, ' ' + walkForm.getAttribute(b[1]));
          b[0].setAttribute('aria-invalid', 'true');
          b[0].setAttribute('aria-describedby', m.id);
          (b[0].type === 'checkbox' ? b[0].closest('.checkboxes') : b[0]).before(m);
        });
        if (bad.length) {
          // Fixed at once, the form may go again: the double-submit guard is for double taps.
          var lock = lockOf(walkForm);
          if (lock) release(lock);
          bad[0][0].focus();
          return;
        }
        var data = new URLSearchParams(new FormData(walkForm));
        var item = { url: walkForm.action, body: '', key: data.get('key') || newKey(), walk: true, page: here, name: f.first_name.value.trim() };
        data.set('key', item.key);
        data.set('at', new Date().toISOString());
        item.body = data.toString();
        var q = load();
        q.push(item);
        save(q);
        var c = walkCard(item);
        // Ready for the next family, with a key of its own.
        f.first_name.value = '';
        f.kind.value = 'single_parent';
        f.children.value = '0';
        f.consent.checked = false;
        f.key.value = newKey();
        c.querySelector('h2').focus();
        count();
        status('');
        send();
      });
      // A refused walk-in: back into the form to fix it, or deleted from the phone.
      door.addEventListener('click', function (event) {
        var b = event.target.closest && event.target.closest('.door-card__refused button');
        if (!b) return;
        var c = b.closest('li');
        var key = c.id.slice(2);
        var item = load().filter(function (i) { return i.key === key; })[0];
        save(load().filter(function (i) { return i.key !== key; }));
        c.remove();
        count();
        status('');
        if (b.value === 'change' && item) {
          var data = new URLSearchParams(item.body);
          f.first_name.value = data.get('first_name') || '';
          f.kind.value = data.get('kind') || 'single_parent';
          f.children.value = data.get('children') || '0';
          f.consent.checked = data.has('consent');
          walkForm.closest('details').open = true;
          var name = '[name="' + (item.field || 'first_name') + '"]';
          (walkForm.querySelector(name + ':checked') || walkForm.querySelector(name) || f.first_name).focus();
        } else {
          var h1 = document.querySelector('h1');
          h1.tabIndex = -1;
          h1.focus();
        }
      });
    }

    // A page kept on the phone carries the walk-in key it was sent with: a second family added
    // from it must not look like the first one sent again.
    if (walkForm && walkForm.elements.key) walkForm.elements.key.value = newKey();

    var search = document.querySelector('.door-search');
    var foundLine = document.getElementById('door-found');
    if (search && foundLine && search.elements.q) {
      var field = search.elements.q;
      var asked = null;
      var typing = null;
      var ask = function () {
        var q = field.value.trim();
        if (q === asked) return;
        asked = q;
        var url = location.pathname + '?' + new URLSearchParams({ q: q, part: 'results' }).toString();
        fetch(url, { credentials: 'same-origin' }).then(function (res) {
          if (!res.ok || res.redirected) throw new Error('later');
          return res.text();
        }).then(function (html) {
          if (field.value.trim() !== q) return; // typed on meanwhile: a newer answer comes
          var part = document.createElement('template');
          part.innerHTML = html;
          foundLine.textContent = part.content.getElementById('door-found').textContent;
          document.getElementById('door-results').replaceWith(part.content.getElementById('door-results'));
        }).catch(function () {
          asked = null;
          foundLine.textContent = search.getAttribute('data-offline');
        });
      };
      field.addEventListener('input', function () {
        clearTimeout(typing);
        typing = setTimeout(ask, 250);
      });
      search.addEventListener('submit', function (event) {
        event.preventDefault();
        clearTimeout(typing);
        asked = null;
        ask();
      });
      // A page that came from the phone does not know the search in its address: ask now.
      if (field.value.trim() !== (document.getElementById('door-results').getAttribute('data-q') || '')) ask();
    }

    if ('serviceWorker' in navigator && window.caches) {
      navigator.serviceWorker.register('/static/door-sw.js', { scope: '/sessions/' }).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (reg) {
        var css = document.querySelector('link[rel="stylesheet"]');
        var js = document.querySelector('script[src]');
        if (reg.active) reg.active.postMessage({ keep: [here, css && css.href, js && js.src].filter(Boolean) });
      }).catch(function () {});
    }

    window.addEventListener('online', send);
    // Taps and walk-ins still queued from before a reload show as made, and go out now.
    load().forEach(function (i) {
      if (i.walk) {
        if (i.page === here) walkCard(i);
      } else if (i.url === location.origin + here) {
        show(i.household, i.action === 'in');
        waiting(card(i.household), true);
      }
    });
    count();
    status('');
    send();
  }
})();

/* ---------------------------------------------------------------------------------------------
 * 4. Import progress (docs/ui.md §3.8, decision (m)). A form with data-progress="<id>" (the import
 *    wizard's forms) is sent by this script, so the page can show that something is happening:
 *    a <progress> with the upload percentage while the file goes up, then the phase the server
 *    is in ("We controleren de rijen (10.000)…") until it answers. The server does the work in one
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
 * 5. Encouragement worklist (docs/ui.md §3.6). Saving an outcome goes in the background to the same
 *    address as the form, with the page's CSRF token in X-CSRF-Token and Accept:
 *    application/json. The card then moves to the collapsed "Gedaan" section (except "try
 *    again later", which stays open), the progress in the role="status" line is updated, and
 *    focus goes to the next open card's heading, so a worker on a phone goes from family to
 *    family. A form with errors (422) or any other answer is sent again the ordinary way, so
 *    the server shows the page with its messages exactly as without JavaScript.
 *    Cards are short: the outcome form opens in the card whose "Vastleggen" or contact button
 *    (WhatsApp, call, text) is tapped, from the page's <template>, with that way of contact
 *    chosen; a form opened here and not filled in closes when another card opens. Without a
 *    script "Vastleggen" is a link to the page with that card open (?open=).
 * ------------------------------------------------------------------------------------------- */
(function () {
  'use strict';
  var list = document.querySelector('.encourage-open');
  var status = document.getElementById('encourage-progress');
  var done = document.querySelector('.encourage-done');
  if (!list || !status || !done || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var saved = status.querySelector('.encourage-saved');
  var sending = false;
  var pattern = document.getElementById('encourage-form');
  var NIL = '00000000-0000-0000-0000-000000000000';
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };

  // Back to a short card: the form goes, "Vastleggen" comes back.
  var close = function (card) {
    var form = card.querySelector('.encourage-form');
    if (form) form.remove();
    card.querySelector('.encourage-card__message').hidden = true;
    card.querySelector('.encourage-card__record').hidden = false;
    card.classList.remove('encourage-card--open');
  };
  var untouched = function (form) {
    return !form.querySelector('input[name="outcome"]:checked') && !form.elements.note.value.trim();
  };
  // The form in this card, opened from the pattern if it is not there yet.
  var openIn = function (card) {
    var form = card.querySelector('.encourage-form');
    if (form || !pattern) return form;
    each(document.querySelectorAll('.encourage-card--open'), function (other) {
      var f = other.querySelector('.encourage-form');
      if (f && untouched(f) && !other.querySelector('.error-message')) close(other);
    });
    var id = card.id.slice(2);
    var names = card.querySelector('h2').textContent;
    form = pattern.content.querySelector('form').cloneNode(true);
    each(form.querySelectorAll('[id], [for], [aria-describedby]'), function (el) {
      ['id', 'for', 'aria-describedby'].forEach(function (a) {
        if (el.hasAttribute(a)) el.setAttribute(a, el.getAttribute(a).split(NIL).join(id));
      });
    });
    form.elements.household.value = id;
    each(form.querySelectorAll('.vh'), function (s) { s.textContent = ' ' + names; });
    var record = card.querySelector('.encourage-card__record');
    card.appendChild(form);
    record.hidden = true;
    card.querySelector('.encourage-card__message').hidden = false;
    card.classList.add('encourage-card--open');
    return form;
  };
  document.addEventListener('click', function (event) {
    var a = event.target.closest && event.target.closest('.encourage-card a');
    var card = a && a.closest('.encourage-card');
    if (!card) return;
    if (a.parentNode.classList.contains('encourage-card__record')) {
      event.preventDefault();
      var form = openIn(card);
      var first = form && form.querySelector('input[name="channel"]:checked');
      if (first) first.focus();
    } else if (a.hasAttribute('data-channel')) {
      // The link still opens WhatsApp or the phone; the form waits for the outcome.
      var f = openIn(card);
      var how = f && f.querySelector('input[name="channel"][value="' + a.getAttribute('data-channel') + '"]');
      if (how) how.checked = true;
    }
  });

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
      // Saved: the card is short again.
      close(card);
      if (answer.done) {
        var outcome = card.querySelector('.encourage-card__outcome');
        if (outcome) { outcome.textContent = answer.outcome; outcome.hidden = false; }
        // The first folded family takes the free place; the fold goes when it is empty.
        var more = document.querySelector('.encourage-more');
        var waiting = more && more.querySelector('.encourage-card');
        if (waiting && waiting !== card) {
          list.appendChild(waiting);
          if (!next || next === card || next === open[0]) next = waiting;
        }
        done.querySelector('ul').appendChild(card);
        var left = more ? more.querySelectorAll('.encourage-card').length : 0;
        if (more) {
          var s = more.querySelector('summary');
          s.textContent = left === 1 ? s.getAttribute('data-one') : s.getAttribute('data-other').replace('%n', String(left));
          more.hidden = left === 0;
        }
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

/* ---------------------------------------------------------------------------------------------
 * 6. An address to copy (the programme's calendar address): the whole text is selected when
 *    the read-only field gets focus, so one "copy" takes it. Without JS a long press selects it. Its own part: the worklist's
 *    above stops early on every other page.
 * ------------------------------------------------------------------------------------------- */
(function () {
  'use strict';
  document.addEventListener('focusin', function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute('data-select-on-focus')) el.select();
  });
  //    A copy button next to it, shown only where the browser lets a script copy; it says
  //    "Gekopieerd" in the status next to it.
  if (navigator.clipboard && window.isSecureContext) {
    Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (b) {
      b.hidden = false;
      b.addEventListener('click', function () {
        var field = document.getElementById(b.getAttribute('data-copy'));
        var said = b.parentNode.querySelector('[role="status"]');
        if (!field) return;
        navigator.clipboard.writeText(field.value).then(function () {
          if (said) said.textContent = b.getAttribute('data-copied');
        }, function () {
          field.focus();
        });
      });
    });
  }
})();
