// A prebuilt JupyterLab extension with nothing but a stylesheet, written by hand (there is no code to
// bundle). JupyterLab loads this script, then asks the container it registers in window._JUPYTERLAB
// for the module named by "style" in package.json (webpack's module-federation container protocol:
// init(shareScope), get(module) -> a promise of a factory). The factory links cjk.css, served beside
// this file from the labextensions folder.
var _JUPYTERLAB;
(function () {
  var here = document.currentScript.src;
  _JUPYTERLAB = _JUPYTERLAB || {};
  _JUPYTERLAB["gradient-descent-hands-on-cjk"] = {
    init: function () {},
    get: function (module) {
      if (module !== "./style") {
        return Promise.reject(new Error("gradient-descent-hands-on-cjk has no module " + module));
      }
      return Promise.resolve(function () {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = new URL("cjk.css", here).href;
        document.head.appendChild(link);
        return {};
      });
    },
  };
})();
