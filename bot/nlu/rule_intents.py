"""Rasa NLU component: after the classifiers and the fallback, the rules' intent wins (danger, complaint, a request
for a person), and a danger the model alone saw in a hypothetical question becomes a policy question."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rules.intent_rules import rule_intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RuleIntents(GraphComponent):
    """Overrides the predicted intent where bot/rules/intent_rules.py says so (marked `rule: true`)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleIntents:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            current = message.get(INTENT) or {}
            predicted = current.get(INTENT_NAME_KEY)
            intent = rule_intent(message.get(TEXT), predicted)
            if intent is None or (intent == predicted and current.get(PREDICTED_CONFIDENCE_KEY, 0.0) >= 1.0):
                continue
            # also when the model agreed at a low confidence: a rule's reading is certain (the form hands over on it)
            chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0, "rule": True}
            message.data[INTENT] = chosen
            ranking = [r for r in message.data.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent]
            message.data[INTENT_RANKING_KEY] = [chosen, *ranking]
        return messages
