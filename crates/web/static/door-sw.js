/* Meet the Parents: the check-in page opens without a network (docs/ui.md §3.5).
 *
 * app.js registers this worker on a check-in page, for the pages under /sessions/. It keeps, on
 * this phone and for today only, the check-in pages opened today and the stylesheet and script
 * they use. A check-in page comes from the network when there is one (and is kept again), and
 * from the phone when there is none or it has not answered within a few seconds. Every other
 * page and request goes to the network as if there were no worker. Taps are not kept here: they
 * wait in app.js's queue, which sends them when the network is back.
 *
 * Privacy: the kept pages hold the first names of the day's families. They are kept under the
 * day's name and deleted on the next day, when the server no longer lets this account open the
 * page (a redirect to sign in, 403 or 404), and when the host signs out (app.js).
 */
'use strict';

var PREFIX = 'mtp-door-';
var DOOR = /^\/sessions\/[0-9a-f-]{36}\/checkin$/;
var WAIT_MS = 4000;
var keeping = {};

// The cache of today, by the phone's own calendar: "mtp-door-2026-12-06".
function today() {
  var d = new Date();
  var two = function (n) { return ('0' + n).slice(-2); };
  return PREFIX + d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate());
}

// The lists of earlier days go: a phone keeps no family's name past the day.
function tidy() {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== today(); })
      .map(function (k) { return caches.delete(k); }));
  });
}

function fromPhone(key) {
  return caches.open(today()).then(function (c) { return c.match(key); });
}

function keep(key, res) {
  keeping[key] = tidy()
    .then(function () { return caches.open(today()); })
    .then(function (c) { return c.put(key, res); })
    .catch(function () {})
    .then(function () { delete keeping[key]; });
  return keeping[key];
}

function forget(key) {
  return caches.open(today()).then(function (c) { return c.delete(key); });
}

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (event) {
  event.waitUntil(tidy().then(function () { return self.clients.claim(); }));
});

// A check-in page asks to be kept, with its stylesheet and script. Its first visit came from the
// network before this worker was in charge; what is kept already is not fetched again.
self.addEventListener('message', function (event) {
  var urls = event.data && event.data.keep;
  if (!Array.isArray(urls)) return;
  event.waitUntil(Promise.all(urls.map(function (u) {
    var url = new URL(u, self.location.origin);
    if (url.origin !== self.location.origin) return null;
    var key = DOOR.test(url.pathname) ? url.pathname : url.pathname + url.search;
    return Promise.resolve(keeping[key]).then(function () { return fromPhone(key); }).then(function (kept) {
      if (kept) return null;
      return fetch(key, { credentials: 'same-origin' }).then(function (res) {
        if (res.ok && !res.redirected && res.type === 'basic') return keep(key, res);
        return null;
      });
    }).catch(function () {});
  })));
});

// A check-in page: the network's answer if it comes within WAIT_MS (kept for later, unless it is
// a search), else the page kept today; without either, the network's answer whenever it comes.
function page(req, url) {
  var key = url.pathname;
  var net = fetch(req).then(function (res) {
    if (res.type === 'opaqueredirect' || res.redirected || res.status === 403 || res.status === 404) {
      forget(key); // signed out, or no longer this account's page
    } else if (res.ok && res.type === 'basic' && !url.search) {
      keep(key, res.clone());
    }
    return res;
  });
  return new Promise(function (resolve) {
    var done = false;
    var answer = function (res) { if (!done && res) { done = true; resolve(res); } };
    var timer = setTimeout(function () { fromPhone(key).then(answer); }, WAIT_MS);
    net.then(function (res) { clearTimeout(timer); answer(res); }, function () {
      clearTimeout(timer);
      fromPhone(key).then(function (kept) { answer(kept || Response.error()); });
    });
  });
}

// The stylesheet and script: their address carries their version (?v=), so a kept copy is right.
function asset(req, url) {
  var key = url.pathname + url.search;
  return fromPhone(key).then(function (kept) {
    return kept || fetch(req).then(function (res) {
      if (res.ok && res.type === 'basic') keep(key, res.clone());
      return res;
    });
  });
}

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate' && DOOR.test(url.pathname)) {
    event.respondWith(page(req, url));
  } else if (/^\/static\/app\.(css|js)$/.test(url.pathname) && req.cache !== 'no-store' && req.cache !== 'reload') {
    // (A request for a fresh copy goes to the network as without this worker.)
    event.respondWith(asset(req, url));
  }
});
