'use strict';
// The real xml2json needs a native build (node-expat); the Open311 client
// test speaks JSON, so XML conversion is never expected.
exports.toJson = function toJson() {
  throw new Error('XML not supported (xml2json stub)');
};
