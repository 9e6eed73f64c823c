/*
 * Parley's chunk loader, prepended to /embed.js. The script-tag bundle is
 * built as AMD modules (Rollup's `amd` output, `autoId`, `define` renamed to
 * `__parleyDefine`): /embed.js holds what the first paint needs, and the rest
 * (sign-in, composer, dialogs, socket.io) sits in hashed chunks beside it,
 * fetched as classic scripts when first needed. Chunks get the embed script's
 * nonce, so a host page's nonce-based CSP admits them too.
 *
 * Kept tiny and dependency-free on purpose: it is part of the first-paint
 * budget. Not a general AMD loader: ids are Rollup's chunk ids, resolved
 * against the directory of /embed.js.
 */
(function (g, d) {
  if (g.__parleyDefine) return;
  var script = d.currentScript;
  var base = (script && script.src) || d.baseURI;
  var nonce = script && script.nonce;
  /** id -> exports, once defined. */
  var done = {};
  /** id -> Promise of exports, once asked for. */
  var asked = {};
  /** id -> resolve of the Promise in `asked`. */
  var waiting = {};

  /** Rollup names dependencies relative to the module naming them: `../embed` from `chunks/a`. */
  function resolve(from, dep) {
    return new URL(dep, 'http://parley/' + from).pathname.slice(1);
  }

  function load(id) {
    if (done[id]) return Promise.resolve(done[id]);
    if (!asked[id]) {
      asked[id] = new Promise(function (ok, fail) {
        waiting[id] = ok;
        var tag = d.createElement('script');
        tag.src = new URL(id + '.js', base).href;
        tag.async = true;
        if (nonce) tag.nonce = nonce;
        // Leave the host page's DOM as it was: a script that ran needs no tag.
        tag.onload = function () {
          tag.remove();
        };
        tag.onerror = function () {
          tag.remove();
          delete asked[id];
          fail(new Error('Parley could not load ' + tag.src));
        };
        d.head.appendChild(tag);
      });
    }
    return asked[id];
  }

  function special(dep) {
    return dep === 'exports' || dep === 'require';
  }

  g.__parleyDefine = function (id, deps, factory) {
    // Rollup leaves the list out when a module has no dependencies.
    if (!factory) {
      factory = deps;
      deps = [];
    }
    var exports = {};
    var ids = deps.map(function (dep) {
      return special(dep) ? dep : resolve(id, dep);
    });
    function require(wanted, ok, fail) {
      Promise.all(
        wanted.map(function (dep) {
          return load(resolve(id, dep));
        }),
      ).then(function (modules) {
        ok.apply(null, modules);
      }, fail);
    }
    function run(values) {
      factory.apply(
        null,
        ids.map(function (dep, i) {
          return dep === 'exports' ? exports : dep === 'require' ? require : values[i];
        }),
      );
      done[id] = exports;
      if (waiting[id]) waiting[id](exports);
    }
    // Run at once when nothing is missing, so the entry runs while it is
    // still `document.currentScript`.
    if (ids.every(function (dep) { return special(dep) || done[dep]; })) {
      run(ids.map(function (dep) { return done[dep]; }));
    } else {
      Promise.all(ids.map(function (dep) { return special(dep) ? null : load(dep); })).then(run);
    }
  };
})(globalThis, document);
