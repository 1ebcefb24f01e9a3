// Drives the group invitation lifecycle through the official client's GroupService, as lifecycle.js does
// for events (walk.js: one shared http client, its base URL set with setBasePortal and the signed-in
// user's token with setAuthorizeToken).
//
// Input (environment): CONTRACT_BASE_URL, and CONTRACT_TOKENS = JSON {manager, requester, guest, other}
// of bearer tokens. Output: one JSON line per step on stdout; exit status 1 with the failing step on stderr.
'use strict';

const assert = require('node:assert/strict');
const {GroupService} = require('@selfcommunity/api-services');
const {currentUsers, ids, refused, signIn, step, walk} = require('./walk');

async function main() {
  const me = await currentUsers();

  signIn('manager');
  const group = await GroupService.createGroup({
    name: `Interop group ${Date.now()}`,
    privacy: 'private',
    visible: true,
    description: 'Driven by @selfcommunity/api-services',
  });
  assert.equal(group.managed_by.id, me.manager.id);
  assert.equal(group.subscription_status, 'subscribed');
  step('created', {group: group.id});

  signIn('requester');
  await GroupService.subscribeToGroup(group.id);
  assert.deepEqual(await GroupService.getGroupSubscriptionStatus(group.id), {status: 'requested'});
  step('requested', {});

  signIn('manager');
  assert.deepEqual(ids(await GroupService.getGroupWaitingApprovalSubscribers(group.id)), [me.requester.id]);
  await GroupService.inviteOrAcceptGroupRequest(group.id, {users: [me.requester.id, me.guest.id]});
  assert.deepEqual(ids(await GroupService.getGroupWaitingApprovalSubscribers(group.id, {limit: 10})), []);
  assert.deepEqual(ids(await GroupService.getGroupInvitedUsers(group.id, {limit: 10, offset: 0})), [me.guest.id]);
  assert.deepEqual(ids(await GroupService.getGroupMembers(group.id)), [me.manager.id, me.requester.id]);
  step('invited and accepted', {});

  signIn('guest');
  assert.deepEqual(await GroupService.getGroupSubscriptionStatus(group.id), {status: 'invited'});
  await GroupService.subscribeToGroup(group.id);
  const seenByGuest = await GroupService.getSpecificGroupInfo(group.id);
  assert.equal(seenByGuest.subscription_status, 'subscribed');
  assert.equal(seenByGuest.subscribers_counter, 3);
  step('invitation accepted', {});

  // The client has no parameter for `users` on subscribeToGroup; its request config carries the body.
  signIn('manager');
  await GroupService.subscribeToGroup(group.id, {data: {users: [me.other.id]}});
  assert.deepEqual(ids(await GroupService.getGroupMembers(group.id, {limit: 10})), [
    me.manager.id, me.requester.id, me.guest.id, me.other.id,
  ]);
  step('subscribed by the manager', {});

  await GroupService.removeUserFromGroup(group.id, me.other.id);
  signIn('other');
  assert.deepEqual(await GroupService.getGroupSubscriptionStatus(group.id), {status: null});
  step('removed by the manager', {});

  signIn('requester');
  await GroupService.unsubscribeFromGroup(group.id);
  assert.deepEqual(await GroupService.getGroupSubscriptionStatus(group.id), {status: null});
  step('left', {});

  signIn('guest');
  const forbidden = await refused(GroupService.removeUserFromGroup(group.id, me.manager.id));
  const missing = await refused(GroupService.getGroupSubscriptionStatus(2 ** 40));
  signIn('requester');
  const members = await refused(GroupService.getGroupMembers(group.id));
  step('refusals', {forbidden: forbidden.status, missing: missing.status, members: members.status});
}

walk(main);
