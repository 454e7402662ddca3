'use strict';
// The real sparkxml lives only on a git host; the Open311 client test speaks
// JSON, so any attempt to parse XML is a test bug and fails loudly.
exports.parseXml = function parseXml() {
  throw new Error('XML not supported (sparkxml stub)');
};
