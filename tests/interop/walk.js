// What every lifecycle walk shares: the official client's one http client, pointed at the server under
// test (setBasePortal) and signed in as one of the walk's users (setAuthorizeToken); one JSON line per step
// on stdout; refusals read from the rejected request; the exit status.
//
// Input (environment): CONTRACT_BASE_URL, and CONTRACT_TOKENS = JSON {manager, requester, guest, other}
// of bearer tokens.
'use strict';

const assert = require('node:assert/strict');
const {http, UserService} = require('@selfcommunity/api-services');

const baseUrl = process.env.CONTRACT_BASE_URL;
const tokens = JSON.parse(process.env.CONTRACT_TOKENS || '{}');

function signIn(user) {
  http.setAuthorizeToken(tokens[user]);
}

function step(name, detail) {
  console.log(JSON.stringify({step: name, ...detail}));
}

// The status (and headers) of a request that must be refused.
async function refused(promise) {
  try {
    await promise;
  } catch (error) {
    // apiRequest rejects with the axios response (status >= 300) or an axios error carrying it.
    const response = error.response || error;
    return {status: response.status, headers: response.headers || {}};
  }
  throw new Error('the request succeeded but should have been refused');
}

const ids = (page) => page.results.map((user) => user.id);

// Each user of the walk, as the server knows them (UserService.getCurrentUser, signed in as each).
async function currentUsers() {
  const me = {};
  for (const user of Object.keys(tokens)) {
    signIn(user);
    me[user] = await UserService.getCurrentUser();
    assert.equal(typeof me[user].id, 'number');
  }
  return me;
}

// Runs the walk against CONTRACT_BASE_URL: a last `done` step, or the error on stderr and exit status 1.
function walk(main) {
  assert.ok(baseUrl, 'CONTRACT_BASE_URL is not set');
  http.setBasePortal(baseUrl);
  main().then(
    () => step('done', {}),
    (error) => {
      console.error(error && error.stack ? error.stack : error);
      process.exit(1);
    },
  );
}

module.exports = {currentUsers, ids, refused, signIn, step, walk};
