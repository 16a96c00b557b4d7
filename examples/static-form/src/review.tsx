// The console's view of one labelled text (`review` in ../task.ts): the text
// beside the label the worker chose, their comment, and their screenshot shown
// inline. The console bundles this file with the task's own React and puts the
// Approve / Reject / Pay bonus buttons under it (docs/console.md).
import type { ReviewProps } from '@faust/react/review'

interface Item {
  readonly id?: string
  readonly text?: string
}

interface Submitted {
  readonly label?: string
  readonly comment?: string
}

const COLOURS: Readonly<Record<string, string>> = {
  positive: '#1b7f3b',
  negative: '#b3261e',
  neutral: '#555',
}

export default function LabelReview({ unit, item, data, files }: ReviewProps<Submitted, Item>) {
  const label = data.label ?? '(none)'
  const images = files.filter((file) => file.mimetype.startsWith('image/'))
  return (
    // One landmark per card: its name says which unit it is.
    <section aria-label={`Labelled text, unit ${unit.unitId}`}>
      <blockquote style={{ fontSize: '1.1em', margin: '0 0 0.5em' }}>
        {item.text ?? '(no text)'}
      </blockquote>
      <p>
        Label:{' '}
        <strong data-label={label} style={{ color: COLOURS[label] ?? 'inherit' }}>
          {label}
        </strong>
        {item.id !== undefined && <span style={{ color: '#666' }}> · item {item.id}</span>}
      </p>
      {data.comment !== undefined && data.comment !== '' && (
        <p>
          Comment: <q>{data.comment}</q>
        </p>
      )}
      {images.map((file) => (
        <figure key={file.id} style={{ margin: 0 }}>
          <img src={file.url} alt={`Screenshot ${file.name}`} style={{ maxWidth: '100%' }} />
          <figcaption style={{ color: '#666' }}>{file.name}</figcaption>
        </figure>
      ))}
    </section>
  )
}
