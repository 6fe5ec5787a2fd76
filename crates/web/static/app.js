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
})();
