"""Stage 3: reading the passages. `scoring` lists the candidate answers in them with their features
and scores them (the listwise scorer); `coverage` measures how much of the question a text covers;
`owners` reads action tables' owners; `citations` the sentences and quotes. The span reader
itself is the `reader` package; its answerer is `answerers.reader`."""
