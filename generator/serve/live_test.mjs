// Tests of live.js's pure logic: node --test generator/serve/live_test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventsURL, isChanged, scrollKey, withStamp } from "./live.js";

test("eventsURL keeps the script's query", () => {
  assert.equal(eventsURL("http://127.0.0.1:1313/_steward/live.js?u=%2Fa%2F&v=x%3A1"),
    "http://127.0.0.1:1313/_steward/events?u=%2Fa%2F&v=x%3A1");
});

test("withStamp sets one cache-busting parameter and keeps others", () => {
  assert.equal(withStamp("http://h/css/a.css", 5), "http://h/css/a.css?steward=5");
  assert.equal(withStamp("http://h/css/a.css?steward=4&x=1", 5), "http://h/css/a.css?steward=5&x=1");
});

test("isChanged matches by path on the same origin only", () => {
  assert.equal(isChanged("http://h/css/a.css?steward=1", ["/css/a.css"], "http://h"), true);
  assert.equal(isChanged("http://h/css/b.css", ["/css/a.css"], "http://h"), false);
  assert.equal(isChanged("http://other/css/a.css", ["/css/a.css"], "http://h"), false);
  assert.equal(isChanged("http://h/any.css", [], "http://h"), true);
});

test("scrollKey is per path", () => {
  assert.notEqual(scrollKey("/a/"), scrollKey("/b/"));
});
