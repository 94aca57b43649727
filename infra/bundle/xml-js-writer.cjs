// The part of xml-js that the `feed` package uses (js2xml), standing in for the whole package in the
// function bundles (infra/bundling.ts aliases `xml-js` to this file): its parser and the sax module it
// loads are never called. The path is relative because the alias also covers `xml-js/...` imports;
// xml-js is a direct dependency, so npm installs it at the top of node_modules.
exports.js2xml = require('../../node_modules/xml-js/lib/js2xml.js');
