import DrillWeb

/// The check-in page's only script: an offline-tolerant queue of marks.
///
/// Each tap becomes a mark with a client-generated id, saved in localStorage before anything is
/// sent, so a dropped connection, a closed tab or a server restart loses nothing. The queue is sent
/// to `POST /api/sessions/{uid}/marks` with backoff (1 s doubling to 30 s) until the server answers
/// 200; only then do the sent marks leave the queue. The store skips a client id it has recorded,
/// so a batch that arrived but whose answer was lost is counted once when it is sent again.
/// A batch the store refuses is retried one mark at a time, so one bad mark cannot block the others.
/// A busy server (503, 429, a timeout or no network) shows a retry state
/// ("网络或服务器繁忙，稍后自动重试"), never the response body; the marks stay queued. A 200 means the marks are on disk (the
/// store fsyncs before answering), so dropping them from localStorage then is safe.
/// Text reaches the DOM only through `textContent`, never as HTML.
enum CheckInScript {
    static let source = #"""
        (function () {
          'use strict';
          var state = JSON.parse(document.getElementById('state').textContent);
          var KEY = 'drillcal.queue.' + state.uid;
          var t = state.text;
          var queue = load();
          var confirmed = state.marks;   // member id -> {status, reason, source}
          var rejected = {};              // member id -> message
          var backoff = 1000, timer = null, inflight = false, batchLimit = 50, needLogin = false, busy = false;

          function load() {
            try { var q = JSON.parse(localStorage.getItem(KEY) || '[]'); return Array.isArray(q) ? q : []; }
            catch (e) { return []; }
          }
          function save() { localStorage.setItem(KEY, JSON.stringify(queue)); }
          function newID() {
            if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
            var a = new Uint8Array(16); crypto.getRandomValues(a);
            return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
          }

          function mark(member, status, reason) {
            // The newest tap for a member wins; older unsent ones are dropped so one batch never
            // names a member twice (the store refuses that).
            queue = queue.filter(function (m) { return m.member !== member; });
            queue.push({ member: member, status: status, reason: reason || null, clientID: newID() });
            delete rejected[member];
            save(); render(); flushSoon(0);
          }

          function flushSoon(delay) {
            clearTimeout(timer);
            timer = setTimeout(flush, delay);
          }
          function retryLater() {
            flushSoon(backoff);
            backoff = Math.min(backoff * 2, 30000);
          }

          function flush() {
            if (inflight || queue.length === 0) { return; }
            inflight = true;
            var batch = queue.slice(0, batchLimit);
            fetch(state.marksURL, {
              method: 'POST', credentials: 'same-origin', cache: 'no-store',
              headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf },
              body: JSON.stringify({ marks: batch })
            }).then(function (r) {
              // Only our own JSON is read; anything else (a proxy's HTML error page) is an empty body.
              var json = (r.headers.get('Content-Type') || '').indexOf('application/json') === 0;
              return (json ? r.json() : Promise.reject()).catch(function () { return {}; })
                .then(function (body) { return { r: r, body: body }; });
            }).then(function (res) {
              inflight = false;
              var r = res.r, body = res.body;
              if (r.ok) {
                var sent = {};
                batch.forEach(function (m) { sent[m.clientID] = true; confirmed[m.member] = { status: m.status, reason: m.reason, source: 'page' }; });
                queue = queue.filter(function (m) { return !sent[m.clientID]; });
                save();
                if (body.teams) { state.teams = body.teams; }
                backoff = 1000; needLogin = false; busy = false;
                if (queue.length === 0) { batchLimit = 50; }
                render();
                if (queue.length > 0) { flushSoon(0); }
              } else if (r.status === 401 || r.status === 403) {
                // Logged out (server restarted, code revoked) or the page is stale: keep every mark.
                needLogin = true; busy = false; render(); retryLater();
              } else if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
                busy = false;
                if (batch.length > 1) { batchLimit = 1; flushSoon(0); return; }
                var m = batch[0];
                rejected[m.member] = typeof body.message === 'string' ? body.message : ('HTTP ' + r.status);
                queue = queue.filter(function (q) { return q.clientID !== m.clientID; });
                save(); render(); flushSoon(0);
              } else {
                // 5xx, 408, 429: the server is busy; the marks stay queued and are sent again.
                busy = true; render(); retryLater();
              }
            }).catch(function () {
              inflight = false; busy = true; render(); retryLater();
            });
          }

          function refresh() {
            if (inflight) { return; }
            fetch(state.detailURL, { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
              if (!r.ok) { if (r.status === 401 || r.status === 403) { needLogin = true; render(); } return null; }
              return r.json();
            }).then(function (body) {
              if (!body || !body.marks) { return; }
              var fresh = {};
              body.marks.forEach(function (m) { fresh[m.member] = { status: m.status, reason: m.reason, source: m.source }; });
              confirmed = fresh; state.teams = body.teams; render();
            }).catch(function () {});
          }

          function render() {
            var pending = {};
            queue.forEach(function (m) { pending[m.member] = m; });
            document.querySelectorAll('li.member').forEach(function (li) {
              var id = li.getAttribute('data-member');
              var p = pending[id], c = confirmed[id];
              var shown = p || c;
              var label = shown ? t.status[shown.status] : t.none;
              if (shown && shown.status === 'excused' && shown.reason) { label += '（' + shown.reason + '）'; }
              if (c && !p && c.source === 'self') { label += ' · ' + t.selfCheckIn; }
              li.querySelector('.status').textContent = label;
              var badge = li.querySelector('.badge');
              badge.className = 'badge ' + (rejected[id] ? 'rejected' : p ? 'pending' : c ? 'confirmed' : '');
              badge.textContent = rejected[id] ? (t.rejected + '：' + rejected[id]) : p ? t.pending : c ? t.confirmed : '';
            });
            (state.teams || []).forEach(function (team) {
              var el = document.querySelector('[data-team-count="' + CSS.escape(team.id) + '"]');
              if (!el) { return; }
              el.textContent = team.counted + ' / ' + team.minimum;
              el.className = team.counted >= team.minimum ? 'met' : 'below';
            });
            var sync = document.getElementById('sync');
            sync.textContent = queue.length === 0 ? t.allSent : (t.pendingCount.replace('{n}', queue.length) + (navigator.onLine ? '' : ' · ' + t.offline) + (busy ? ' · ' + t.busy : ''));
            sync.className = queue.length === 0 ? 'ok' : 'error';
            document.getElementById('relogin').hidden = !needLogin;
          }

          document.getElementById('roster').addEventListener('click', function (e) {
            var button = e.target.closest('button[data-status]');
            if (!button) { return; }
            var li = button.closest('li.member');
            var status = button.getAttribute('data-status');
            var reason = null;
            if (status === 'excused') {
              var input = li.querySelector('input.reason');
              reason = input.value.trim();
              if (!reason) { input.focus(); input.placeholder = t.reasonNeeded; return; }
            }
            mark(li.getAttribute('data-member'), status, reason);
          });
          window.addEventListener('online', function () { backoff = 1000; flushSoon(0); });
          window.addEventListener('offline', render);
          setInterval(refresh, 15000);
          render();
          flushSoon(0);
        })();
        """#

    /// The login page's script: tells the leader how many marks wait on this phone for this session.
    static let loginNotice = #"""
        (function () {
          var el = document.getElementById('queued');
          try {
            var q = JSON.parse(localStorage.getItem('drillcal.queue.' + el.getAttribute('data-uid')) || '[]');
            if (q.length > 0) { el.textContent = el.getAttribute('data-text').replace('{n}', q.length); el.hidden = false; }
          } catch (e) {}
        })();
        """#
}
