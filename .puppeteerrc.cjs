// pxt-microbit depends on puppeteer, whose install step downloads a Chrome: that fails offline, and
// nothing here uses it (test/editor.test.ts drives Debian's chromium through playwright-core).
// So `npm install` works without PUPPETEER_SKIP_DOWNLOAD=1.
module.exports = { skipDownload: true };
