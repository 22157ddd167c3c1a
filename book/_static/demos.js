// Starts each kernel-free demo of the page (book/demos/core.py's animations) when the reader comes
// near it or touches one of its controls. Until then the demo shows its first frame, and its other
// frames (files in _images/, see book/_ext/reading.py) are not fetched.
(() => {
  const start = (demo) => {
    const code = demo.querySelector("script.gdh-demo-start");
    if (!code) return;
    code.remove();
    const script = document.createElement("script");
    script.textContent = code.textContent;  // matplotlib's own code: it loads the frames
    demo.appendChild(script);
    setTimeout(() => { demo.dataset.started = "true"; }, 0);  // after the animation is made
  };
  const near = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        near.unobserve(entry.target);
        start(entry.target);
      }
    }
  }, { rootMargin: "200px 0px" });
  for (const demo of document.querySelectorAll(".gdh-demo-static")) {
    near.observe(demo);
    for (const kind of ["pointerdown", "focusin"]) {
      demo.addEventListener(kind, () => start(demo), { capture: true });
    }
  }
})();
