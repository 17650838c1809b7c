"""The answer step's plugins: each turns a question and its passages into an `Answer` by reading
(stage 3) and composing (stage 4). `base` is the interface every answerer imports; `registry` names
them for the settings (`make_answerer`), and imports them."""
