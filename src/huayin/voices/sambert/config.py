"""The ``Model.KanTtsSAMBERT.params`` of a voice's ``am/config.yaml`` and the weights they imply."""

from dataclasses import dataclass

from huayin.errors import VoiceInstallError

#: Features the NumPy port does not run; each is named in the error. (``MAS`` voices run: the
#: alignment search only trains durations; its ``align_attention`` weights are not read.)
_UNSUPPORTED_FLAGS = {"SE": "speaker-embedding (SE) voices", "NSF": "NSF (pitch-output) voices",
                      "FP": "filled-pause (FP) voices",
                      "using_byte": "byte-input voices"}


@dataclass(frozen=True)
class SambertConfig:
    """Dimensions and flags of a SAM-BERT acoustic model (names as in KAN-TTS's config)."""

    embedding_dim: int
    """Width of the four summed linguistic embeddings (512)."""
    max_len: int
    """Rows of the stored sinusoidal position table."""
    encoder_num_layers: int
    encoder_num_heads: int
    encoder_num_units: int
    encoder_ffn_inner_dim: int
    encoder_projection_units: int
    """Width of the encoder output (32) that the variance adaptor and decoder read."""
    speaker_units: int
    emotion_units: int
    predictor_filter_size: int
    predictor_fsmn_num_layers: int
    predictor_num_memory_units: int
    predictor_ffn_inner_dim: int
    predictor_shift: int
    predictor_lstm_units: int
    dur_pred_prenet_units: tuple[int, ...]
    dur_pred_lstm_units: int
    decoder_prenet_units: tuple[int, ...]
    decoder_num_layers: int
    decoder_num_heads: int
    decoder_num_units: int
    decoder_ffn_inner_dim: int
    outputs_per_step: int
    """Mel frames per decoder step (3)."""
    num_mels: int
    postnet_filter_size: int
    postnet_fsmn_num_layers: int
    postnet_num_memory_units: int
    postnet_ffn_inner_dim: int
    postnet_shift: int
    postnet_lstm_units: int

    @classmethod
    def from_yaml(cls, config: dict) -> "SambertConfig":
        """From a parsed ``am/config.yaml``; :class:`VoiceInstallError` names what is not run."""
        try:
            params = config["Model"]["KanTtsSAMBERT"]["params"]
        except (KeyError, TypeError):
            raise VoiceInstallError(
                "acoustic-model config has no Model.KanTtsSAMBERT.params") from None
        for flag, what in _UNSUPPORTED_FLAGS.items():
            if params.get(flag):
                raise VoiceInstallError(f"unsupported acoustic-model config: {what} ({flag})")
        values = {}
        for name, kind in cls.__annotations__.items():
            if name not in params:
                raise VoiceInstallError(f"acoustic-model config lacks {name!r}")
            try:
                values[name] = (tuple(int(v) for v in params[name]) if "tuple" in str(kind)
                                else int(params[name]))
            except (TypeError, ValueError):
                raise VoiceInstallError(
                    f"acoustic-model config {name!r} = {params[name]!r} is not "
                    f"{'a list of integers' if 'tuple' in str(kind) else 'an integer'}") from None
        built = cls(**values)
        for heads, units, where in ((built.encoder_num_heads, built.encoder_num_units, "encoder"),
                                    (built.decoder_num_heads, built.decoder_num_units, "decoder")):
            if heads <= 0 or units % heads:
                raise VoiceInstallError(
                    f"unsupported acoustic-model config: {where} units not divisible by heads")
        return built

    @property
    def memory_dim(self) -> int:
        """Width of one decoder memory step: r encoder frames + speaker + emotion."""
        return (self.encoder_projection_units * self.outputs_per_step
                + self.speaker_units + self.emotion_units)

    def expected_shapes(self, vocab: dict[str, int]) -> dict[str, tuple[int, ...]]:
        """Every state-dict key of ``KanTtsSAMBERT`` and its shape; ``vocab``: rows of the
        ``sy``, ``tone``, ``syllable_flag``, ``word_segment``, ``emotion`` and ``speaker``
        tables."""
        shapes: dict[str, tuple[int, ...]] = {}

        def lin(prefix, c_in, c_out, bias=True):
            shapes[f"{prefix}.weight"] = (c_out, c_in)
            if bias:
                shapes[f"{prefix}.bias"] = (c_out,)

        def conv(prefix, c_in, c_out, kernel, bias=True):
            shapes[f"{prefix}.weight"] = (c_out, c_in, kernel)
            if bias:
                shapes[f"{prefix}.bias"] = (c_out,)

        def norm(prefix, dim):
            shapes[f"{prefix}.weight"] = (dim,)
            shapes[f"{prefix}.bias"] = (dim,)

        def lstm(prefix, c_in, hidden, layers=1, bidirectional=False):
            for layer in range(layers):
                for suffix in ("", "_reverse") if bidirectional else ("",):
                    width = c_in if layer == 0 else hidden
                    shapes[f"{prefix}.weight_ih_l{layer}{suffix}"] = (4 * hidden, width)
                    shapes[f"{prefix}.weight_hh_l{layer}{suffix}"] = (4 * hidden, hidden)
                    shapes[f"{prefix}.bias_ih_l{layer}{suffix}"] = (4 * hidden,)
                    shapes[f"{prefix}.bias_hh_l{layer}{suffix}"] = (4 * hidden,)

        def fsmn(prefix, c_in, layers, memory, inner, filter_size):
            for i in range(layers):
                conv(f"{prefix}.ffn_lst.{i}.w_1", c_in if i == 0 else memory, inner, 1)
                conv(f"{prefix}.ffn_lst.{i}.w_2", inner, memory, 1, bias=False)
                conv(f"{prefix}.memory_block_lst.{i}.conv_dw", 1, memory, filter_size, bias=False)
                shapes[f"{prefix}.memory_block_lst.{i}.conv_dw.weight"] = (memory, 1, filter_size)

        emb, units, proj = self.embedding_dim, self.encoder_num_units, self.encoder_projection_units
        for table, name in (("sy", "sy"), ("tone", "tone"), ("syllable_flag", "syllable_flag"),
                            ("ws", "word_segment")):
            shapes[f"text_encoder.{table}_emb.weight"] = (vocab[name], emb)
        encoder = "text_encoder.ling_enc"
        shapes[f"{encoder}.position_enc.position_enc"] = (1, self.max_len, emb)
        for i in range(self.encoder_num_layers):
            d_in = emb if i == 0 else units
            norm(f"{encoder}.fft.{i}.slf_attn.layer_norm", d_in)
            lin(f"{encoder}.fft.{i}.slf_attn.w_qkv", d_in, 3 * units)
            lin(f"{encoder}.fft.{i}.slf_attn.fc", units, units)
            conv(f"{encoder}.fft.{i}.pos_ffn.w_1", units, self.encoder_ffn_inner_dim, 3)
            conv(f"{encoder}.fft.{i}.pos_ffn.w_2", self.encoder_ffn_inner_dim, units, 1)
            norm(f"{encoder}.fft.{i}.pos_ffn.layer_norm", units)
        norm(f"{encoder}.ln", units)
        lin("text_encoder.ling_proj", units, proj, bias=False)
        shapes["spk_tokenizer.weight"] = (vocab["speaker"], self.speaker_units)
        shapes["emo_tokenizer.weight"] = (vocab["emotion"], self.emotion_units)

        cond = proj + self.speaker_units + self.emotion_units
        for predictor in ("pitch_predictor", "energy_predictor"):
            prefix = f"variance_adaptor.{predictor}"
            fsmn(f"{prefix}.fsmn", cond, self.predictor_fsmn_num_layers,
                 self.predictor_num_memory_units, self.predictor_ffn_inner_dim,
                 self.predictor_filter_size)
            lstm(f"{prefix}.blstm", self.predictor_num_memory_units, self.predictor_lstm_units,
                 bidirectional=True)
            lin(f"{prefix}.fc", 2 * self.predictor_lstm_units, 1)
        duration = "variance_adaptor.duration_predictor"
        prenet = (1,) + self.dur_pred_prenet_units
        for i in range(len(self.dur_pred_prenet_units)):
            lin(f"{duration}.prenet.fcs.{3 * i}", prenet[i], prenet[i + 1])
        lstm(f"{duration}.lstm", prenet[-1] + cond, self.dur_pred_lstm_units, layers=2)
        lin(f"{duration}.fc", self.dur_pred_lstm_units, 1)
        shapes["variance_adaptor.dur_position_encoder.inv_timescales"] = (proj,)
        conv("variance_adaptor.pitch_emb", 1, proj, 9)
        conv("variance_adaptor.energy_emb", 1, proj, 9)

        decoder, model = "mel_decoder.mel_dec", self.decoder_num_units
        prenet = (self.num_mels,) + self.decoder_prenet_units
        for i in range(len(self.decoder_prenet_units)):
            lin(f"{decoder}.prenet.fcs.{3 * i}", prenet[i], prenet[i + 1])
        lin(f"{decoder}.prenet.fcs.{3 * len(self.decoder_prenet_units)}", prenet[-1], model)
        lin(f"{decoder}.dec_in_proj", model + self.memory_dim, model)
        for i in range(self.decoder_num_layers):
            layer = f"{decoder}.pnca.{i}"
            norm(f"{layer}.pnca_attn.layer_norm", model)
            lin(f"{layer}.pnca_attn.w_x_qkv", model, 3 * model)
            lin(f"{layer}.pnca_attn.fc_x", model, model)
            lin(f"{layer}.pnca_attn.w_h_kv", self.memory_dim, 2 * model)
            lin(f"{layer}.pnca_attn.fc_h", model, model)
            conv(f"{layer}.pos_ffn.w_1", model, self.decoder_ffn_inner_dim, 1)
            conv(f"{layer}.pos_ffn.w_2", self.decoder_ffn_inner_dim, model, 1)
            norm(f"{layer}.pos_ffn.layer_norm", model)
        norm(f"{decoder}.ln", model)
        lin(f"{decoder}.dec_out_proj", model, self.num_mels * self.outputs_per_step)

        fsmn("mel_postnet.fsmn", self.num_mels, self.postnet_fsmn_num_layers,
             self.postnet_num_memory_units, self.postnet_ffn_inner_dim, self.postnet_filter_size)
        lstm("mel_postnet.lstm", self.postnet_num_memory_units, self.postnet_lstm_units)
        lin("mel_postnet.fc", self.postnet_lstm_units, self.num_mels)
        return shapes
