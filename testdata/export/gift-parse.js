// Parses a GIFT file with the independent gift-pegjs parser and prints the
// questions as JSON. Usage: NODE_PATH=<node_modules> node gift-parse.js FILE
"use strict";
const fs = require("fs");
const { parse } = require("gift-pegjs");
const file = process.argv[2];
if (!file) {
  console.error("usage: gift-parse.js FILE");
  process.exit(2);
}
try {
  const questions = parse(fs.readFileSync(file, "utf8"));
  process.stdout.write(JSON.stringify(questions, null, 1) + "\n");
} catch (e) {
  const loc = e.location ? ` at line ${e.location.start.line}, column ${e.location.start.column}` : "";
  console.error(`${file}: ${e.name}${loc}: ${e.message}`);
  process.exit(1);
}
