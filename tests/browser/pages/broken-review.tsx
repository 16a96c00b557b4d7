// A task's review view that throws on every render: the console must show the
// error in its place and keep the queue's buttons working.
export default function BrokenReview(): never {
  throw new Error('the review view broke on purpose')
}
