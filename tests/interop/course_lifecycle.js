// Drives the course membership lifecycle through the official client's CourseService, as lifecycle.js does
// for events (walk.js: one shared http client, its base URL set with setBasePortal and the signed-in
// user's token with setAuthorizeToken). The creator makes a private course; a user asks to join and is
// accepted, another is invited and accepts; a third is made a manager and removes a member; a member leaves.
//
// Input (environment): CONTRACT_BASE_URL, and CONTRACT_TOKENS = JSON {manager, requester, guest, other}
// of bearer tokens (`manager` creates the course). Output: one JSON line per step on stdout; exit status 1
// with the failing step on stderr.
'use strict';

const assert = require('node:assert/strict');
const {CourseService, CourseInfoViewType} = require('@selfcommunity/api-services');
const {currentUsers, ids, refused, signIn, step, walk} = require('./walk');

async function main() {
  const me = await currentUsers();

  signIn('manager');
  const course = await CourseService.createCourse({
    name: `Interop course ${Date.now()} ${process.pid}`,
    description: 'Driven by @selfcommunity/api-services',
    type: 'self-paced',
    privacy: 'private',
    categories: [],
  });
  assert.equal(course.created_by.id, me.manager.id);
  assert.equal(course.join_status, 'creator');
  assert.deepEqual(await CourseService.getCourseStatus(course.id), {status: 'creator'});
  step('created', {course: course.id, privacy: course.privacy});

  // Joining a private course is a request: the answer is the course, with the new join_status.
  signIn('requester');
  const requested = await CourseService.joinOrAcceptInviteToCourse(course.id);
  assert.equal(requested.id, course.id);
  assert.equal(requested.join_status, 'requested');
  assert.deepEqual(await CourseService.getCourseStatus(course.id), {status: 'requested'});
  step('requested', {join_status: requested.join_status});

  signIn('manager');
  assert.deepEqual(ids(await CourseService.getCourseWaitingApproval(course.id)), [me.requester.id]);
  await CourseService.inviteOrAcceptUsersToCourse(course.id, {users: [me.requester.id, me.guest.id]});
  assert.deepEqual(ids(await CourseService.getCourseWaitingApproval(course.id, {limit: 10})), []);
  assert.deepEqual(ids(await CourseService.getCourseInvitedUsers(course.id, {limit: 10, offset: 0})), [me.guest.id]);
  step('request accepted and guest invited', {});

  signIn('guest');
  assert.deepEqual(await CourseService.getCourseStatus(course.id), {status: 'invited'});
  const accepted = await CourseService.joinOrAcceptInviteToCourse(course.id);
  assert.equal(accepted.join_status, 'joined');
  const seenByGuest = await CourseService.getSpecificCourseInfo(course.id);
  assert.equal(seenByGuest.join_status, 'joined');
  step('invitation accepted', {join_status: accepted.join_status});

  // A role change: `other` becomes a manager; the list of `statuses` is sent as the client sends lists.
  signIn('manager');
  await CourseService.changeCourseUserRole(course.id, {managers: [me.other.id]});
  assert.deepEqual(ids(await CourseService.getCourseJoinedUsers(course.id)), [
    me.requester.id, me.guest.id, me.other.id,
  ]);
  const leaders = await CourseService.getCourseJoinedUsers(course.id, {statuses: ['creator', 'manager']});
  assert.deepEqual(ids(leaders), [me.manager.id, me.other.id]);
  const dashboard = await CourseService.getSpecificCourseInfo(course.id, {view: CourseInfoViewType.DASHBOARD});
  assert.equal(dashboard.join_status, 'creator');
  step('role changed', {managers: ids(leaders).length});

  // The new manager may at once remove a member (`user`), and emulate another user's view of the course.
  signIn('other');
  assert.deepEqual(await CourseService.getCourseStatus(course.id), {status: 'manager'});
  await CourseService.leaveOrRemoveCourseRequest(course.id, {user: me.guest.id});
  const asGuest = await CourseService.getSpecificCourseInfo(course.id, {user: me.guest.id});
  assert.equal(asGuest.join_status, null);
  signIn('guest');
  assert.deepEqual(await CourseService.getCourseStatus(course.id), {status: null});
  step('removed by a manager', {});

  signIn('requester');
  await CourseService.leaveOrRemoveCourseRequest(course.id);
  assert.deepEqual(await CourseService.getCourseStatus(course.id), {status: null});
  step('left', {});

  signIn('manager');
  const creatorLeaves = await refused(CourseService.leaveOrRemoveCourseRequest(course.id));
  const creatorUnjoined = await refused(CourseService.changeCourseUserRole(course.id, {unjoined: [me.manager.id]}));
  const missing = await refused(CourseService.getCourseStatus(2 ** 40));
  assert.deepEqual(await CourseService.getCourseStatus(course.id), {status: 'creator'});
  signIn('guest');
  const forbidden = await refused(CourseService.changeCourseUserRole(course.id, {managers: [me.guest.id]}));
  step('refusals', {
    creator_leaves: creatorLeaves.status,
    creator_unjoined: creatorUnjoined.status,
    forbidden: forbidden.status,
    missing: missing.status,
  });
}

walk(main);
