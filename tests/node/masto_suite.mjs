// masto.js (npm `masto`) against a live Chirp, driven by tests/test_masto_js.py.
// Env: CHIRP_URL, ADA_TOKEN, BOB_TOKEN (password-grant tokens the test made), IMAGE (a PNG
// path). Each step records what a user would see, or the error the client raised; the whole
// record is printed as one JSON object for pytest to assert.
import { readFile } from "node:fs/promises";
import { createRestAPIClient } from "masto";

const url = process.env.CHIRP_URL;
const ada = createRestAPIClient({ url, accessToken: process.env.ADA_TOKEN, timeout: 20000 });
const bob = createRestAPIClient({ url, accessToken: process.env.BOB_TOKEN, timeout: 20000 });
const out = {};

async function step(name, run) {
  try {
    out[name] = await run();
  } catch (error) {
    out[name] = { error: `${error.name}: ${error.message}` };
  }
}

const texts = (statuses) => statuses.map((s) => s.content);

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
  const post = await ada.v1.statuses.create({ status: "a picture", mediaIds: [media.id] });
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
    preferences: await ada.v1.preferences.fetch(),
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
