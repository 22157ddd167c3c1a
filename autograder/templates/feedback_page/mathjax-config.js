// MathJax 3 configuration of the feedback pages (autograder/feedback.py), loaded before MathJax itself.
// A page holds the student's math too: the TeX packages that write HTML attributes or load code are off,
// and MathJax's `safe` extension filters URLs, classes, ids and styles of whatever is left.
window.MathJax = {
  loader: {load: ['ui/safe']},
  tex: {
    inlineMath: [['$', '$'], ['\\(', '\\)']],
    displayMath: [['$$', '$$'], ['\\[', '\\]']],
    processEscapes: true,
    processEnvironments: true,
    packages: {'[-]': ['html', 'require', 'autoload']},
  },
  options: {enableMenu: false},
};
