"""Stage 4: the answer as the asker reads it. `framing` puts a chosen candidate or span into the frame
of its answer type, in the asker's language, with the documents' own words quoted and cited."""
