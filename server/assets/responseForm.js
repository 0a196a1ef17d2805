// The liaison's response form, better with JavaScript (it works without it): each number read back
// as the server will read it ("= 19.000") with its difference against the current programming,
// "Mantener la programación" hides the targets, the progress and jump list follow what is written,
// the deadline's countdown stays current, and the error summary's links take focus to their field.
// The number and countdown rules are the server's (imports/numbers.ts parseNumber 'es',
// domain/timeLeft.ts); test/responseFormScript.test.ts runs this file against them.
/* global module */
(function () {
  'use strict';

  // ---- Rules (pure; exported for the test) ---------------------------------------------------

  function groupedInteger(s, separator) {
    var groups = s.split(separator);
    if (!/^\d{1,3}$/.test(groups[0])) return false;
    for (var i = 1; i < groups.length; i++) if (!/^\d{3}$/.test(groups[i])) return false;
    return true;
  }

  /** A number as typed in Colombia: { ok: true, value } or { ok: false, ambiguous } (imports/numbers.ts, locale 'es'). */
  function parseNumber(input) {
    var raw = String(input).trim();
    var fail = { ok: false, ambiguous: /^[\d\s.,+-]+$/.test(raw) && /\d/.test(raw) };
    var s = raw.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\u2212/g, '-');
    if (s.slice(-1) === '%') s = s.slice(0, -1).replace(/\s+$/, '');
    var sign = 1;
    if (s.charAt(0) === '-' || s.charAt(0) === '+') {
      if (s.charAt(0) === '-') sign = -1;
      s = s.slice(1).replace(/^\s+/, '');
    }
    if (s.indexOf(' ') >= 0) {
      if (!/^\d{1,3}( \d{3})+([.,]\d+)?$/.test(s)) return fail;
      s = s.replace(/ /g, '');
    }
    if (!/^[\d.,]*\d[\d.,]*$/.test(s) || !/^[.,]?\d/.test(s)) return fail;
    var dots = s.split('.').length - 1;
    var commas = s.split(',').length - 1;
    var integerPart = s;
    var fraction = '';
    if (dots && commas) {
      var decimal = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
      var thousands = decimal === '.' ? ',' : '.';
      var at = s.lastIndexOf(decimal);
      integerPart = s.slice(0, at);
      fraction = s.slice(at + 1);
      if (integerPart.split(decimal).length > 1 || !groupedInteger(integerPart, thousands) || !/^\d+$/.test(fraction)) return fail;
      integerPart = integerPart.split(thousands).join('');
    } else if (dots + commas > 1) {
      var separator = dots ? '.' : ',';
      if (!groupedInteger(s, separator)) return fail;
      integerPart = s.split(separator).join('');
    } else if (dots + commas === 1) {
      var single = dots ? '.' : ',';
      var parts = s.split(single);
      var before = parts[0] || '';
      var after = parts[1] || '';
      var ambiguous = after.length === 3 && /^[1-9]\d{0,2}$/.test(before);
      if (ambiguous && single === '.') {
        integerPart = before + after;
      } else {
        integerPart = before || '0';
        fraction = after;
        if (!/^\d+$/.test(fraction)) return fail;
      }
    }
    var value = sign * Number(integerPart + (fraction ? '.' + fraction : ''));
    return isFinite(value) ? { ok: true, value: value } : fail;
  }

  function localDate(instant, timeZone) {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  }

  function plural(n, one, many) {
    return n === 1 ? 'queda 1 ' + one : 'quedan ' + n + ' ' + many;
  }

  /** What is left until the deadline (domain/timeLeft.ts timeLeftWords). */
  function timeLeftWords(deadline, now, timeZone, businessDates) {
    var ms = Date.parse(deadline) - now.getTime();
    if (!(ms > 0)) return 'el plazo venció';
    var minutes = Math.ceil(ms / 60000);
    if (minutes < 60) return plural(minutes, 'minuto', 'minutos');
    var today = localDate(now, timeZone);
    var deadlineDay = localDate(new Date(deadline), timeZone);
    var days = businessDates.filter(function (d) {
      return d > today && d <= deadlineDay;
    }).length;
    if (days >= 1) return plural(days, 'día hábil', 'días hábiles');
    var hours = Math.floor(ms / 3600000);
    if (deadlineDay === today) return 'vence hoy: ' + plural(hours, 'hora', 'horas');
    if (hours < 48) return plural(hours, 'hora', 'horas');
    return plural(Math.floor(ms / 86400000), 'día', 'días');
  }

  var rules = { parseNumber: parseNumber, timeLeftWords: timeLeftWords };
  if (typeof module === 'object' && module && module.exports) module.exports = rules;
  if (typeof document === 'undefined') return;

  // ---- The page -------------------------------------------------------------------------------

  var numberFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 9 });
  var format = function (n) {
    return numberFormat.format(n).replace('-', '\u2212');
  };
  var signed = function (n) {
    return (n > 0 ? '+' : n < 0 ? '\u2212' : '') + numberFormat.format(Math.abs(n));
  };
  var clean = function (n) {
    return Math.round(n * 1e9) / 1e9;
  };

  document.documentElement.classList.add('js');

  /** "= 19.000 · +2 frente a lo vigente", or why the text cannot be read. */
  function readBack(input) {
    var out = document.getElementById('lectura-' + input.id);
    if (!out) return;
    var text = input.value.trim();
    var parsed = text === '' ? null : parseNumber(text);
    var words = '';
    if (parsed && parsed.ok) {
      words = '= ' + format(parsed.value);
      var current = input.getAttribute('data-current');
      if (current !== '' && current !== null) {
        var difference = clean(parsed.value - Number(current));
        words += difference === 0 ? ' · igual a lo vigente' : ' · ' + signed(difference) + ' frente a lo vigente';
      }
    } else if (parsed) {
      words = parsed.ambiguous ? 'Número ambiguo: use punto para los miles y coma para los decimales (19.000 o 3,5)' : 'No es un número: escriba por ejemplo 19.000 o 3,5';
    }
    out.textContent = words;
    out.classList.toggle('unreadable', Boolean(parsed && !parsed.ok));
  }

  /** The year's target the quarters make (suma: their sum; levels: the last quarter), beside the current one. */
  function yearTotal(card) {
    var out = card.querySelector('[data-year-total]');
    if (!out) return;
    var values = [];
    var currents = [];
    var quarters = card.querySelectorAll('[data-quarters] .quarter');
    for (var i = 0; i < quarters.length; i++) {
      var quarter = quarters[i];
      var input = quarter.querySelector('input[data-number]');
      var elapsed = quarter.getAttribute('data-value');
      var current = input ? input.getAttribute('data-current') : elapsed;
      var parsed = input ? parseNumber(input.value) : { ok: true, value: Number(elapsed) };
      if (!parsed.ok || current === '' || current === null) {
        out.textContent = '';
        return;
      }
      values.push(parsed.value);
      currents.push(Number(current));
    }
    if (values.length !== 4) return;
    var sum = card.getAttribute('data-accumulation') === 'sum';
    var total = function (list) {
      return sum ? clean(list.reduce(function (a, b) { return a + b; }, 0)) : list[list.length - 1];
    };
    var proposed = total(values);
    var before = total(currents);
    var difference = clean(proposed - before);
    out.textContent = 'Meta del año con esta programación: ' + format(proposed) + ' (vigente: ' + format(before) + (difference === 0 ? ', sin cambio)' : '; ' + signed(difference) + ')');
  }

  var form = document.querySelector('form.response-form');
  if (form) {
    form.addEventListener('input', function (event) {
      var target = event.target;
      if (target.hasAttribute('data-number')) {
        readBack(target);
        yearTotal(target.closest('.goal-card'));
      }
      if (target.hasAttribute('data-justification')) progress();
    });
    form.addEventListener('change', function (event) {
      var target = event.target;
      if (target.hasAttribute('data-action')) target.closest('.goal-card').setAttribute('data-chosen', target.value);
    });
    var numbers = form.querySelectorAll('input[data-number]');
    for (var n = 0; n < numbers.length; n++) readBack(numbers[n]);
    var cards = form.querySelectorAll('.goal-card');
    for (var c = 0; c < cards.length; c++) {
      var select = cards[c].querySelector('select[data-action]');
      if (select) cards[c].setAttribute('data-chosen', select.value);
      yearTotal(cards[c]);
    }
  }

  /** "3 de 13 metas respondidas", and the jump list marks each answered goal. */
  function progress() {
    var line = document.getElementById('progreso');
    if (!line || !form) return;
    var cards = form.querySelectorAll('.goal-card');
    var answered = 0;
    for (var i = 0; i < cards.length; i++) {
      var text = cards[i].querySelector('textarea[data-justification]');
      var done = Boolean(text && text.value.trim() !== '');
      if (done) answered++;
      var item = document.querySelector('[data-jump="' + cards[i].getAttribute('data-goal') + '"]');
      if (item && item.classList.contains('answered') !== done) {
        item.classList.toggle('answered', done);
        var state = item.querySelector('.jump-state');
        if (state) state.textContent = done ? ' · respondida' : ' · pendiente';
      }
    }
    var total = cards.length;
    var words = answered + ' de ' + total + (total === 1 ? ' meta respondida' : ' metas respondidas');
    // Only a change is written, so the status region announces changes only.
    if (line.textContent !== words) line.textContent = words;
  }

  // The summary of a refusal takes the focus; its links take it on to their field.
  var summary = document.getElementById('resumen-errores');
  if (summary) {
    if (document.activeElement !== summary) summary.focus();
    summary.addEventListener('click', function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) return;
      var field = document.getElementById(link.getAttribute('href').slice(1));
      if (!field) return;
      event.preventDefault();
      var card = field.closest('.goal-card');
      if (card && field.closest('[data-targets]')) card.setAttribute('data-chosen', 'reprogram');
      var label = document.querySelector('label[for="' + field.id + '"]');
      (label || field).scrollIntoView({ block: 'center' });
      field.focus({ preventScroll: true });
    });
  }

  // The countdown, each minute.
  var countdown = document.getElementById('cuenta-regresiva');
  if (countdown) {
    var left = countdown.querySelector('[data-time-left]');
    var deadline = countdown.getAttribute('data-deadline');
    var zone = countdown.getAttribute('data-time-zone');
    var days = (countdown.getAttribute('data-business-days') || '').split(' ').filter(Boolean);
    var tick = function () {
      var words = timeLeftWords(deadline, new Date(), zone, days);
      if (left.textContent !== words) left.textContent = words;
    };
    tick();
    setInterval(tick, 60000);
  }
})();
