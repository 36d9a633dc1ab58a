// masto.js (npm `masto`) against a live Chirp, driven by tests/test_masto_js.py.
// Env: CHIRP_URL, ADA_TOKEN, BOB_TOKEN, CY_TOKEN (password-grant tokens the test made),
// IMAGE (a PNG path), EXPIRED_POLL (the id of cy's unlisted post whose poll has ended). Each step records what a user would see, or the error the client raised; the whole
// record is printed as one JSON object for pytest to assert.
import { readFile } from "node:fs/promises";
import { createRestAPIClient } from "masto";

const url = process.env.CHIRP_URL;
const ada = createRestAPIClient({ url, accessToken: process.env.ADA_TOKEN, timeout: 20000 });
const bob = createRestAPIClient({ url, accessToken: process.env.BOB_TOKEN, timeout: 20000 });
const cy = createRestAPIClient({ url, accessToken: process.env.CY_TOKEN, timeout: 20000 });
const out = {};

async function step(name, run) {
  try {
    out[name] = await run();
  } catch (error) {
    out[name] = { error: `${error.name}: ${error.message}` };
  }
}

const texts = (statuses) => statuses.map((s) => s.content);
// What an app renders for a row of a timeline: a reblog shows the original's text.
const shown = (statuses) => statuses.map((s) => (s.reblog ?? s).content);

await step("verify", async () => {
  const me = await ada.v1.accounts.verifyCredentials();
  return { acct: me.acct, id: me.id, source: me.source?.privacy };
});

await step("follow_by_name", async () => {
  const found = await ada.v2.search.list({ q: "@bob", type: "accounts" });
  const looked = await ada.v1.accounts.lookup({ acct: "bob" });
  const relationship = await ada.v1.accounts.$select(looked.id).follow();
  const [after] = await ada.v1.accounts.relationships.fetch({ id: [looked.id] });
  return {
    searched: found.accounts.map((a) => a.acct),
    looked_up: looked.acct,
    following: relationship.following,
    relationship_following: after.following,
    bob_id: looked.id,
  };
});
const bobId = out.follow_by_name.bob_id;

await step("timelines", async () => ({
  home: texts(await ada.v1.timelines.home.list({ limit: 10 })),
  public: texts(await ada.v1.timelines.public.list({ limit: 10 })),
  tag: texts(await ada.v1.timelines.tag.$select("jsclients").list()),
}));

let bobPost;
await step("post_reply_reblog_favourite", async () => {
  [bobPost] = await ada.v1.accounts.$select(bobId).statuses.list({ limit: 1 });
  const mine = await ada.v1.statuses.create({ status: "hello from masto.js #mastojs" });
  const reply = await ada.v1.statuses.create({
    status: "@bob nice one",
    inReplyToId: bobPost.id,
  });
  const reblog = await ada.v1.statuses.$select(bobPost.id).reblog();
  const liked = await ada.v1.statuses.$select(bobPost.id).favourite();
  const context = await ada.v1.statuses.$select(bobPost.id).context.fetch();
  return {
    mine: { id: mine.id, content: mine.content, tags: mine.tags.map((t) => t.name) },
    reply_to: reply.inReplyToId,
    reblogged: reblog.reblogged ?? reblog.reblog?.reblogged,
    reblogs_count: reblog.reblog?.reblogsCount,
    favourited: liked.favourited,
    favourites_count: liked.favouritesCount,
    descendants: context.descendants.map((s) => s.id),
    reply_id: reply.id,
    home_after: texts(await ada.v1.timelines.home.list({ limit: 5 })),
  };
});

await step("search", async () => {
  const accounts = await ada.v2.search.list({ q: "@bob", type: "accounts" });
  const statuses = await ada.v2.search.list({ q: "jsclients", type: "statuses" });
  const tags = await ada.v2.search.list({ q: "#jsclients", type: "hashtags" });
  return {
    accounts: accounts.accounts.map((a) => a.acct),
    statuses: texts(statuses.statuses),
    hashtags: tags.hashtags.map((t) => t.name),
  };
});

await step("lists", async () => {
  const list = await ada.v1.lists.create({ title: "Friends" });
  await ada.v1.lists.$select(list.id).accounts.create({ accountIds: [bobId] });
  const members = await ada.v1.lists.$select(list.id).accounts.list();
  return {
    titles: (await ada.v1.lists.list()).map((l) => l.title),
    members: members.map((a) => a.acct),
    timeline: texts(await ada.v1.timelines.list.$select(list.id).list()),
  };
});

await step("media", async () => {
  const file = new Blob([await readFile(process.env.IMAGE)], { type: "image/png" });
  const media = await ada.v2.media.create({ file, description: "a teal square" });
  const post = await ada.v1.statuses.create({ status: "a picture #mastojs", mediaIds: [media.id] });
  return {
    type: media.type,
    description: media.description,
    attached: post.mediaAttachments.map((m) => m.description),
    url_ok: (await fetch(post.mediaAttachments[0].url)).status,
  };
});

await step("server", async () => {
  const v1 = await ada.v1.instance.fetch();
  const v2 = await ada.v2.instance.fetch();
  return {
    v1_version: v1.version,
    v2_version: v2.version,
    api_versions: v2.apiVersions,
    max_characters: v2.configuration.statuses.maxCharacters,
    streaming: v2.configuration.urls.streaming,
    emojis: await ada.v1.customEmojis.list(),
    announcements: await ada.v1.announcements.list(),
    preferences: await ada.v1.preferences.fetch(),
    registrations: v2.registrations.enabled,
    poll_limits: v2.configuration.polls,
    media_types: v2.configuration.mediaAttachments.supportedMimeTypes.includes("image/png"),
  };
});

await step("notifications", async () => {
  const mine = out.post_reply_reblog_favourite.mine.id;
  await bob.v1.statuses.$select(mine).favourite();
  await bob.v1.accounts.$select(out.verify.id).follow();
  const v1 = await ada.v1.notifications.list();
  const v2 = await ada.v2.notifications.list();
  const group = v2.notificationGroups.find((g) => g.type === "favourite");
  const one = await ada.v2.notifications.$select(group.groupKey).fetch();
  const unread = await ada.v2.notifications.unreadCount.fetch();
  await ada.v2.notifications.$select(group.groupKey).dismiss();
  const after = await ada.v2.notifications.list();
  return {
    v1: v1.map((n) => [n.type, n.account.acct]),
    groups: v2.notificationGroups.map((g) => [g.type, g.notificationsCount, g.sampleAccountIds]),
    accounts: v2.accounts.map((a) => a.acct),
    statuses: v2.statuses.map((s) => s.id),
    fetched: one.notificationGroups.map((g) => [g.groupKey, g.statusId]),
    unread: unread.count,
    after_dismiss: after.notificationGroups.map((g) => g.type),
  };
});

await step("markers", async () => {
  const newest = out.notifications.error ? "1" : (await ada.v1.notifications.list())[0]?.id;
  const home = out.post_reply_reblog_favourite.reply_id;
  await ada.v1.markers.create({ home: { lastReadId: home }, notifications: { lastReadId: newest } });
  const markers = await ada.v1.markers.fetch({ timeline: ["home", "notifications"] });
  const unread = await ada.v2.notifications.unreadCount.fetch();
  return {
    home: markers.home?.lastReadId === home,
    notifications: markers.notifications?.lastReadId,
    newest,
    unread: unread.count,
  };
});

await step("delete", async () => {
  const doomed = await ada.v1.statuses.create({ status: "soon gone" });
  const removed = await ada.v1.statuses.$select(doomed.id).remove();
  let status = 200;
  try {
    await ada.v1.statuses.$select(doomed.id).fetch();
  } catch (error) {
    status = error.statusCode;
  }
  return { text: removed.text, fetched_after: status };
});

await step("paging", async () => {
  // masto follows the Link header's rel="next" from page to page.
  const paged = [];
  for await (const page of ada.v1.timelines.public.list({ limit: 2 })) {
    paged.push(...page.map((s) => s.id));
    if (paged.length > 40) break;
  }
  const groups = [];
  for await (const page of ada.v2.notifications.list({ limit: 1 })) {
    groups.push(...page.notificationGroups.map((g) => g.type));
    if (groups.length > 40) break;
  }
  const whole = await ada.v1.timelines.public.list({ limit: 40 });
  return { paged, whole: whole.map((s) => s.id), groups };
});

await step("timeline_kinds", async () => {
  // Every tab an app shows; Chirp does not federate, so "remote" is empty and "local" is all.
  const [list] = await ada.v1.lists.list();
  return {
    home: (await ada.v1.timelines.home.list({ limit: 10 })).length,
    public: (await ada.v1.timelines.public.list({ limit: 10 })).length,
    local: (await ada.v1.timelines.public.list({ local: true, limit: 10 })).length,
    remote: texts(await ada.v1.timelines.public.list({ remote: true })),
    only_media: texts(await ada.v1.timelines.public.list({ onlyMedia: true })),
    tag: texts(await ada.v1.timelines.tag.$select("mastojs").list()),
    tag_media: texts(await ada.v1.timelines.tag.$select("mastojs").list({ onlyMedia: true })),
    list: texts(await ada.v1.timelines.list.$select(list.id).list()),
  };
});

await step("spoiler_and_idempotency", async () => {
  // masto passes the header through; a retried create must not post twice.
  const key = { requestInit: { headers: { "Idempotency-Key": `masto-${Date.now()}` } } };
  const params = { status: "the butler did it", spoilerText: "film ending", sensitive: true };
  const first = await ada.v1.statuses.create(params, key);
  const again = await ada.v1.statuses.create(params, key);
  const row = (await ada.v1.timelines.home.list({ limit: 5 })).find((s) => s.id === first.id);
  const posted = (await ada.v1.accounts.$select(out.verify.id).statuses.list({ limit: 20 }))
    .filter((s) => s.spoilerText === "film ending").length;
  return {
    same_id: again.id === first.id,
    posted,
    spoiler_text: row.spoilerText,
    sensitive: row.sensitive,
    content: row.content,
  };
});

await step("filters", async () => {
  const created = await ada.v2.filters.create({
    title: "Not today",
    context: ["home", "public"],
    filterAction: "warn",
    keywordsAttributes: [{ keyword: "jsclients", wholeWord: true }],
  });
  const listed = await ada.v2.filters.list();
  const caught = (await ada.v1.timelines.home.list({ limit: 20 })).filter((s) => s.filtered?.length);
  const [keyword] = created.keywords;
  const updated = await ada.v2.filters.$select(created.id).update({
    title: "Never",
    filterAction: "hide",
    keywordsAttributes: [{ id: keyword.id, keyword: "writes", wholeWord: true }],
  });
  const hidden = shown(await ada.v1.timelines.home.list({ limit: 20 }));
  await ada.v2.filters.$select(created.id).remove();
  const home = await ada.v1.timelines.home.list({ limit: 20 });
  return {
    created: [created.title, created.context, created.filterAction],
    keywords: created.keywords.map((k) => [k.keyword, k.wholeWord]),
    listed: listed.map((f) => f.title),
    caught: caught.map((s) => [
      s.reblog ? "reblog" : "status",
      s.filtered.map((r) => [r.filter.id === created.id, r.filter.title, r.keywordMatches]),
    ]),
    updated: [updated.title, updated.filterAction, updated.keywords.map((k) => k.keyword)],
    hidden_shows_bob: hidden.some((c) => c.includes("bob writes")),
    after_delete: (await ada.v2.filters.list()).length,
    home_filtered_after: home.filter((s) => s.filtered?.length).length,
    shown_after: shown(home).some((c) => c.includes("bob writes")),
  };
});

await step("bookmarks_and_favourites", async () => {
  const marked = await ada.v1.statuses.$select(bobPost.id).bookmark();
  const bookmarks = texts(await ada.v1.bookmarks.list());
  const fetched = await ada.v1.statuses.$select(bobPost.id).fetch();
  const favourites = texts(await ada.v1.favourites.list());
  const unmarked = await ada.v1.statuses.$select(bobPost.id).unbookmark();
  return {
    bookmarked: marked.bookmarked,
    bookmarks,
    fetched_bookmarked: fetched.bookmarked,
    favourites,
    unbookmarked: unmarked.bookmarked,
    bookmarks_after: (await ada.v1.bookmarks.list()).length,
  };
});

await step("pins", async () => {
  const mine = out.post_reply_reblog_favourite.mine.id;
  const me = ada.v1.accounts.$select(out.verify.id);
  const pinned = await ada.v1.statuses.$select(mine).pin();
  const listed = await me.statuses.list({ pinned: true });
  const seenByBob = await bob.v1.accounts.$select(out.verify.id).statuses.list({ pinned: true });
  const unpinned = await ada.v1.statuses.$select(mine).unpin();
  return {
    pinned: pinned.pinned,
    listed: listed.map((s) => [s.id === mine, s.pinned]),
    seen_by_bob: seenByBob.map((s) => s.id === mine),
    unpinned: unpinned.pinned,
    listed_after: (await me.statuses.list({ pinned: true })).length,
  };
});

await step("edits", async () => {
  const draft = await ada.v1.statuses.create({ status: "first draft", spoilerText: "" });
  const edited = await ada.v1.statuses.$select(draft.id).update({
    status: "second draft #edited",
    spoilerText: "revised",
    sensitive: true,
  });
  const history = await ada.v1.statuses.$select(draft.id).history.list();
  const source = await ada.v1.statuses.$select(draft.id).source.fetch();
  const seen = await bob.v1.statuses.$select(draft.id).fetch();
  return {
    before_edit: draft.editedAt,
    content: edited.content,
    tags: edited.tags.map((t) => t.name),
    edited: typeof edited.editedAt === "string" && edited.editedAt >= edited.createdAt,
    history: history.map((h) => h.content),
    // Chirp keeps earlier texts only: every version shows under the post's current warning.
    history_warning: [history.at(-1).spoilerText, history.at(-1).sensitive],
    source: [source.id === draft.id, source.text, source.spoilerText],
    seen_by_bob: [seen.content, seen.spoilerText, seen.editedAt === edited.editedAt],
  };
});

await step("polls", async () => {
  const posted = await ada.v1.statuses.create({
    status: "tea or coffee?",
    poll: { options: ["tea", "coffee", "water"], expiresIn: 3600 },
  });
  const poll = posted.poll;
  const voted = await bob.v1.polls.$select(poll.id).votes.create({ choices: [1] });
  const again = await bob.v1.polls.$select(poll.id).votes.create({ choices: [0] }).catch((e) => e);
  const seen = await ada.v1.polls.$select(poll.id).fetch();
  const inTimeline = (await bob.v1.timelines.home.list({ limit: 10 })).find(
    (s) => s.id === posted.id,
  );
  const expired = await bob.v1.polls.$select(process.env.EXPIRED_POLL).fetch();
  const late = await bob.v1.polls
    .$select(process.env.EXPIRED_POLL)
    .votes.create({ choices: [0] })
    .catch((e) => e);
  return {
    created: [poll.options.map((o) => o.title), poll.expired, poll.votesCount, poll.multiple],
    created_voted: poll.voted,
    voted: [voted.voted, voted.ownVotes, voted.votesCount, voted.votersCount],
    options: voted.options.map((o) => [o.title, o.votesCount]),
    again: [again.statusCode, again.message],
    seen_by_author: [seen.votesCount, seen.voted, seen.ownVotes],
    in_timeline: [inTimeline?.poll?.voted, inTimeline?.poll?.ownVotes, inTimeline?.poll?.votesCount],
    expired: [expired.expired, expired.voted],
    late: [late.statusCode, late.message],
  };
});

await step("conversations", async () => {
  const sent = await ada.v1.statuses.create({ status: "@bob just between us", visibility: "direct" });
  const bobs = await bob.v1.conversations.list();
  const [theirs] = bobs;
  const read = await bob.v1.conversations.$select(theirs.id).read();
  const [mine] = await ada.v1.conversations.list();
  const publicTexts = texts(await bob.v1.timelines.public.list({ limit: 40 }));
  return {
    visibility: sent.visibility,
    bob_sees: bobs.map((c) => [c.accounts.map((a) => a.acct), c.lastStatus?.id === sent.id, c.unread]),
    read: read.unread,
    ada_sees: [mine.accounts.map((a) => a.acct), mine.lastStatus?.content, mine.unread],
    in_public: publicTexts.some((c) => c.includes("just between us")),
  };
});

await step("follow_requests", async () => {
  const locked = await cy.v1.accounts.updateCredentials({ locked: true });
  const cyId = locked.id;
  const asked = await ada.v1.accounts.$select(cyId).follow();
  const requests = await cy.v1.followRequests.list();
  const me = await cy.v1.accounts.verifyCredentials();
  const authorized = await cy.v1.followRequests.$select(out.verify.id).authorize();
  const [after] = await ada.v1.accounts.relationships.fetch({ id: [cyId] });
  return {
    locked: locked.locked,
    asked: [asked.following, asked.requested],
    requests: requests.map((a) => a.acct),
    pending_count: me.source?.followRequestsCount,
    authorized: [authorized.followedBy, authorized.requestedBy ?? false],
    after: [after.following, after.requested],
    requests_after: (await cy.v1.followRequests.list()).length,
  };
});

await step("undo", async () => {
  const id = bobPost.id;
  const reblogged_by = (await ada.v1.statuses.$select(id).rebloggedBy.list()).map((a) => a.acct);
  const favourited_by = (await ada.v1.statuses.$select(id).favouritedBy.list()).map((a) => a.acct);
  const followers = (await ada.v1.accounts.$select(bobId).followers.list()).map((a) => a.acct);
  const unreblogged = await ada.v1.statuses.$select(id).unreblog();
  const unliked = await ada.v1.statuses.$select(id).unfavourite();
  const unfollowed = await ada.v1.accounts.$select(bobId).unfollow();
  const [list] = await ada.v1.lists.list();
  const renamed = await ada.v1.lists.$select(list.id).update({ title: "Close friends" });
  await ada.v1.lists.$select(list.id).remove();
  return {
    reblogged_by,
    favourited_by,
    followers,
    reblogs_count: unreblogged.reblogsCount,
    favourites_count: unliked.favouritesCount,
    following: unfollowed.following,
    renamed: renamed.title,
    lists_left: (await ada.v1.lists.list()).length,
  };
});

console.log(JSON.stringify(out));
process.exit(0); // a kept-alive socket must not keep node waiting
