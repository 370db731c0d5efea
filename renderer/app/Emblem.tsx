/** The app's mark: a red seal with a gold star, drawn inline (no image request, works offline). */
export function Emblem({ size = 40 }: { readonly size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 40 40" aria-hidden="true" focusable="false" className="emblem">
      <circle cx="20" cy="20" r="19" fill="var(--red-600)" />
      <circle cx="20" cy="20" r="15.5" fill="none" stroke="var(--gold-400)" strokeWidth="1.2" />
      <path
        d="M20 9.5l2.6 7.9h8.3l-6.7 4.9 2.6 7.9-6.8-4.9-6.8 4.9 2.6-7.9-6.7-4.9h8.3z"
        fill="var(--gold-400)"
      />
    </svg>
  );
}
