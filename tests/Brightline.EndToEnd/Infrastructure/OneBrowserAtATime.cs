// The browser tests run one class at a time. Each starts a Brightline server and a Chromium; three of them at once on
// CI's two cores made the extension's answers miss the tests' waits (a sign-in or an acknowledgement page arriving
// after 15 seconds), which tested the machine's load rather than the product. Run one at a time, they take about
// as long in all, because the cores were the limit anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
