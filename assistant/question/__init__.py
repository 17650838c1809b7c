"""Stage 1 of answering: what is asked. `analysis.analyse()` → `Question` (language, answer type,
named bodies, names, dates, e5 vector); `followup` rewrites a follow-up into a whole question;
`glossary` expands a term into its synonyms and the other languages' words."""
