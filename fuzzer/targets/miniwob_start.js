// Start one MiniWoB++ episode on a loaded task page, the way the page's own START screen
// does (core.startEpisodeReal), with a seeded problem and the timer gymfuzz chose.
//
// It also keeps the *first* ending of the episode in window.__gymfuzzMiniwob: after an
// ending the page shows its START cover again, and a click on it would begin a new problem
// and reset the WOB_* reward globals. The cover is made inert after the first ending so a
// late click cannot overwrite the result.
//
// Argument: {seed: string, extra_ms: number, max_ms: number}.
// Returns: {utterance, timer_ms, ready} (ready: WOB_TASK_READY is not false).
(opts) => {
  const result = { done: false, reward: 0, raw_reward: 0, reason: null };
  window.__gymfuzzMiniwob = result;
  const pageEnd = core.endEpisode;
  core.endEpisode = function (reward, timeProportional, reason) {
    const first = !result.done && core.EP_TIMER !== null;
    pageEnd.apply(this, arguments);
    if (!first) return;
    result.done = true;
    result.reward = WOB_REWARD_GLOBAL;
    result.raw_reward = WOB_RAW_REWARD_GLOBAL;
    result.reason = WOB_REWARD_REASON === undefined ? null : WOB_REWARD_REASON;
    if (core.cover_div) core.cover_div.onclick = null;
  };
  if (!core.cover_div) core.startEpisode(); // the page's onload has not run it yet
  Math.seedrandom(opts.seed);
  const timer = Math.min(opts.max_ms, core.EPISODE_MAX_TIME + opts.extra_ms);
  core.EPISODE_MAX_TIME = timer;
  core.startEpisodeReal();
  return { utterance: core.getUtterance(), timer_ms: timer, ready: WOB_TASK_READY !== false };
}
