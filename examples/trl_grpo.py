"""Train a model with TRL's GRPO against ``gymfuzz serve`` (an example; not run in CI).

Start the server first (one browser, one isolated episode per session)::

    gymfuzz serve packs/dropdown --max-sessions 32 --max-steps 20

then run this script on a machine with a GPU and TRL with vLLM (``pip install trl vllm``,
plus ``gymfuzz[serve]`` for the client)::

    python examples/trl_grpo.py --server http://127.0.0.1:8765 --model Qwen/Qwen3-1.7B

Each GRPO prompt is one episode: ``rollout_func`` resets a session with a seed (the same
seed gives the same scenario and the same fault decisions, so a group of generations for
one prompt meets the same conditions), lets the model act turn by turn on the accessibility
tree, and passes the verdict's reward (1 if the backend state is right, else 0) to the
reward function. The turn loop uses TRL's ``rollout_func`` hook and its
``generate_rollout_completions`` helper (``trl.experimental.openenv``); check them against
the TRL version you install, as that interface is experimental.
"""

from __future__ import annotations

import argparse
from typing import Any

from datasets import Dataset
from trl import GRPOConfig, GRPOTrainer
from trl.experimental.openenv import generate_rollout_completions

from fuzzer.agents.chat import PROMPT, extract_action, render_observation
from fuzzer.serve.client import BrowserActionModel, GymfuzzEnv
from fuzzer.serve.driver import PageView


def play(trainer: Any, env: Any, seed: int, max_turns: int) -> dict[str, Any]:
    """One episode; the token ids and log-probs of every turn, and the final reward."""
    result = env.reset(seed=seed)
    tokenizer = trainer.processing_class
    messages = [{"role": "system", "content": PROMPT}]
    prompt_ids: list[int] = []
    completion_ids: list[int] = []
    logprobs: list[float] = []
    for turn in range(1, max_turns + 1):
        obs = result.observation
        view = PageView(obs.goal, obs.axtree, obs.url, obs.last_action_error)
        messages.append({"role": "user", "content": render_observation(view, turn)})
        prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        out = generate_rollout_completions(trainer, [prompt])[0]
        if not prompt_ids:
            prompt_ids = out["prompt_ids"]
        completion_ids += out["completion_ids"]
        logprobs += out["logprobs"]
        reply = tokenizer.decode(out["completion_ids"], skip_special_tokens=True)
        messages.append({"role": "assistant", "content": reply})
        try:
            result = env.step(BrowserActionModel(action=extract_action(reply)))
        except RuntimeError:  # an action that does not parse: the turn is wasted
            continue
        if result.done:
            break
    reward = float(result.reward or 0.0) if result.done else 0.0
    return {
        "prompt_ids": prompt_ids,
        "completion_ids": completion_ids,
        "logprobs": logprobs,
        "env_reward": reward,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:8765")
    parser.add_argument("--model", default="Qwen/Qwen3-1.7B")
    parser.add_argument("--episodes", type=int, default=256, help="distinct seeds to train on")
    parser.add_argument("--max-turns", type=int, default=20)
    args = parser.parse_args()

    # The prompt text is only a key: the seed in it picks the episode.
    dataset = Dataset.from_dict({"prompt": [f"seed={s}" for s in range(args.episodes)]})

    def rollout_func(prompts: list[str], trainer: GRPOTrainer) -> dict[str, list[Any]]:
        batch: dict[str, list[Any]] = {
            "prompt_ids": [],
            "completion_ids": [],
            "logprobs": [],
            "env_reward": [],
        }
        for prompt in prompts:
            seed = int(prompt.split("=", 1)[1])
            with GymfuzzEnv(base_url=args.server, message_timeout_s=300).sync() as env:
                episode = play(trainer, env, seed, args.max_turns)
            for key in batch:
                batch[key].append(episode[key])
        return batch

    def verdict_reward(completions: list[Any], env_reward: list[float], **_: Any) -> list[float]:
        return [float(r) for r in env_reward]

    config = GRPOConfig(
        output_dir="gymfuzz-grpo",
        use_vllm=True,
        vllm_mode="colocate",
        num_generations=8,
        per_device_train_batch_size=8,
        max_completion_length=256,
        learning_rate=1e-6,
        logging_steps=1,
    )
    trainer = GRPOTrainer(
        model=args.model,
        reward_funcs=verdict_reward,
        train_dataset=dataset,
        args=config,
        rollout_func=rollout_func,
    )
    trainer.train()


if __name__ == "__main__":
    main()
