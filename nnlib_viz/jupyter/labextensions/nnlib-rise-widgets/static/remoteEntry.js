// A hand-written module-federation container for JupyterLab's extension loader.
// The RISE slideshow page shares fewer modules than JupyterLab itself; the ipywidgets manager
// needs '@jupyterlab/console' only for an optional token. When the page lacks that module, this
// container provides a stand-in holding just that token, so the widget manager loads and the
// explorers on the slides are live. Where JupyterLab provides the real module, nothing changes.
(function () {
  var name = "nnlib-rise-widgets";
  var container = {
    init: function (shareScope) {
      if (shareScope["@jupyterlab/console"]) {
        return;
      }
      var lumino = shareScope["@lumino/coreutils"];
      var version = lumino && Object.keys(lumino).sort().pop();
      if (!version) {
        return;
      }
      shareScope["@jupyterlab/console"] = {
        "4.6.6": {
          from: name,
          eager: false,
          get: function () {
            return lumino[version].get().then(function (factory) {
              var Token = factory().Token;
              var module = {
                IConsoleTracker: new Token("@jupyterlab/console:IConsoleTracker"),
              };
              return function () { return module; };
            });
          },
        },
      };
    },
    get: function (request) {
      if (request !== "./extension") {
        return Promise.reject(new Error(name + " has no module " + request));
      }
      var module = { __esModule: true, default: [] };
      return Promise.resolve(function () { return module; });
    },
  };
  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[name] = container;
})();
