// Drives the invitation lifecycle through the official client, @selfcommunity/api-services, the way a
// front end does: one shared http client, its base URL set with setBasePortal and the signed-in user's
// token with setAuthorizeToken (walk.js), then EventService / UserService calls.
//
// Input (environment): CONTRACT_BASE_URL, and CONTRACT_TOKENS = JSON {manager, requester, guest, other}
// of bearer tokens. Output: one JSON line per step on stdout; exit status 1 with the failing step on stderr.
'use strict';

const assert = require('node:assert/strict');
const {http, apiRequest, Endpoints, EventService, UserService} = require('@selfcommunity/api-services');
const {currentUsers, ids, refused, signIn, step, walk} = require('./walk');

// The client has no method for the subscribers list, only its endpoint: call it through apiRequest.
function subscribers(id) {
  return apiRequest({url: Endpoints.GetEventSubscribers.url({id}), method: Endpoints.GetEventSubscribers.method});
}

async function main() {
  const me = await currentUsers();
  step('current users', {ids: Object.fromEntries(Object.entries(me).map(([k, v]) => [k, v.id]))});

  signIn('manager');
  const event = await EventService.createEvent({
    name: `Interop event ${Date.now()}`,
    privacy: 'private',
    start_date: '2030-06-01T18:00:00Z',
    end_date: '2030-06-01T21:00:00Z',
    recurring: 'never',
    location: 'virtual',
    link: 'https://meet.example.com/interop',
  });
  assert.equal(event.managed_by.id, me.manager.id);
  assert.equal(event.subscription_status, 'subscribed');
  step('created', {event: event.id});

  signIn('requester');
  await EventService.subscribeToEvent(event.id);
  assert.deepEqual(await EventService.getEventSubscriptionStatus(event.id), {status: 'requested'});
  step('requested', {});

  signIn('manager');
  assert.deepEqual(ids(await EventService.getEventWaitingApprovalSubscribers(event.id, {limit: 10})), [
    me.requester.id,
  ]);
  await EventService.inviteOrAcceptEventRequest(event.id, {users: [me.requester.id, me.guest.id, me.other.id]});
  assert.deepEqual(ids(await EventService.getEventWaitingApprovalSubscribers(event.id)), []);
  assert.deepEqual(ids(await EventService.getEventInvitedUsers(event.id, {limit: 10, offset: 0})), [
    me.guest.id,
    me.other.id,
  ]);
  assert.deepEqual(ids(await subscribers(event.id)), [me.manager.id, me.requester.id]);
  step('invited and accepted', {});

  signIn('requester');
  assert.deepEqual(await EventService.getEventSubscriptionStatus(event.id), {status: 'subscribed'});

  signIn('guest');
  assert.deepEqual(await EventService.getEventSubscriptionStatus(event.id), {status: 'invited'});
  await EventService.subscribeToEvent(event.id);
  const seenByGuest = await EventService.getSpecificEventInfo(event.id);
  assert.equal(seenByGuest.subscription_status, 'subscribed');
  assert.equal(seenByGuest.subscribers_counter, 3);
  step('invitation accepted', {});

  signIn('manager');
  await EventService.removeInviteEvent(event.id, {users: [me.other.id]});
  assert.deepEqual(ids(await EventService.getEventInvitedUsers(event.id)), []);
  signIn('other');
  assert.deepEqual(await EventService.getEventSubscriptionStatus(event.id), {status: null});
  step('invitation withdrawn', {});

  signIn('requester');
  await EventService.unsubscribeFromEvent(event.id);
  assert.deepEqual(await EventService.getEventSubscriptionStatus(event.id), {status: null});
  step('left', {});

  signIn('guest');
  const forbidden = await refused(EventService.inviteOrAcceptEventRequest(event.id, {users: [me.other.id]}));
  assert.equal(forbidden.status, 403);
  const missing = await refused(EventService.getEventSubscriptionStatus(2 ** 40));
  assert.equal(missing.status, 404);
  signIn('manager');
  const invalid = await refused(EventService.inviteOrAcceptEventRequest(event.id, {users: ['abc']}));
  assert.equal(invalid.status, 400);
  http.setAuthorizeToken(undefined);
  const anonymous = await refused(UserService.getCurrentUser());
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers['www-authenticate'], /^Bearer realm="selfcommunity"/);
  step('refusals', {forbidden: forbidden.status, missing: missing.status, invalid: invalid.status,
    anonymous: anonymous.status});
}

walk(main);
