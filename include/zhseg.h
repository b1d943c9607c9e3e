/*
 * zhseg.h — the whole public API of libzhseg: Chinese word segmentation and
 * term statistics.
 *
 * Objects and ownership
 * ---------------------
 *   ZhsegDict       The compiled dictionary (trie, log-probabilities, POS tags,
 *                   HMM tables), memory-mapped from one file. Expensive to make,
 *                   immutable once opened, and safe to share between any number
 *                   of threads. Reference counted: zhseg_dict_ref()/_unref().
 *   ZhsegSegmenter  Cheap, holds scratch buffers, used by ONE thread at a time.
 *                   Make one per thread over a shared ZhsegDict (as zstd pairs
 *                   ZSTD_CDict with ZSTD_CCtx). It keeps a reference to its dict.
 *   ZhsegNormalizer Cheap, per thread, see the normalizer section.
 *
 * Every _new/_open has a matching _free/_unref that accepts NULL. Strings
 * returned as `const char *` belong to the object they came from and live as
 * long as it does. Arrays passed in by the caller (GArray of ZhsegToken) stay
 * the caller's: zhseg only appends to them.
 *
 * Text goes in as (const char *utf8, gsize len); it need not be NUL-terminated.
 * Calls that can fail return FALSE or NULL and set a GError in the ZHSEG_ERROR
 * domain (codes below); a NULL GError** is allowed. Programmer errors (NULL
 * handles) are caught with g_return_val_if_fail. The library never prints and
 * never exits.
 *
 * There is no global state: everything lives in the handles above.
 */
#ifndef ZHSEG_H
#define ZHSEG_H

#include <glib.h>

G_BEGIN_DECLS

#if defined(_WIN32)
#define ZHSEG_API __declspec(dllexport)
#elif defined(__GNUC__)
#define ZHSEG_API __attribute__((visibility("default")))
#else
#define ZHSEG_API
#endif

/* ---------------------------------------------------------------- version */

#define ZHSEG_VERSION_MAJOR 0
#define ZHSEG_VERSION_MINOR 1
#define ZHSEG_VERSION_PATCH 0
#define ZHSEG_VERSION_STRING "0.1.0"

/* The library's version at run time, e.g. "0.1.0". */
ZHSEG_API const char *zhseg_version(void);

/* ----------------------------------------------------------------- errors */

#define ZHSEG_ERROR (zhseg_error_quark())
ZHSEG_API GQuark zhseg_error_quark(void);

typedef enum {
  ZHSEG_ERROR_IO,         /* a file could not be read or written */
  ZHSEG_ERROR_NOT_FOUND,  /* a data file was not found on the search path */
  ZHSEG_ERROR_FORMAT,     /* not a zhseg image, or a malformed text input line */
  ZHSEG_ERROR_VERSION,    /* an image of another format version / byte order */
  ZHSEG_ERROR_CORRUPT,    /* checksum or structure of an image is wrong */
  ZHSEG_ERROR_ENCODING,   /* input bytes that cannot be decoded (strict mode) */
  ZHSEG_ERROR_ICU,        /* ICU reported an error (its name is in the message) */
  ZHSEG_ERROR_INVALID,    /* an argument or option value is not valid */
} ZhsegErrorCode;

/* ------------------------------------------------------------- data files */

/* Finds a data file (dictionary image, IDF table, stop words, lexicon) by the
 * one rule every command follows: an explicit path if given; else the
 * environment variable `env_var` (e.g. "ZHSEG_DICT") if set and non-empty;
 * else `name` in the build tree's share/zhseg/; else in the installed
 * share/zhseg/. Returns a newly allocated path (g_free), or NULL with
 * ZHSEG_ERROR_NOT_FOUND listing every place looked at. */
ZHSEG_API char *zhseg_find_data_file(const char *explicit_path, const char *env_var,
                                     const char *name, GError **error);

/* File name of the default dictionary image in share/zhseg/. */
#define ZHSEG_DEFAULT_DICT_NAME "zhseg.zdict"

/* ------------------------------------------------------------- dictionary */

typedef struct ZhsegDict ZhsegDict;

/* Compiles text lexicons into one binary image at `out_path`.
 * Lexicon lines: `word [freq] [tag]`, separated by spaces, or by TABs when the
 * line holds a TAB (then a word may contain spaces); `#` starts a comment line.
 * A word listed twice keeps its last frequency and tag. `hmm_path` is an HMM
 * table in the format of dict/jieba/hmm.tsv, or NULL for an image without HMM
 * (segmenters over it behave as if HMM were off). */
ZHSEG_API gboolean zhseg_dict_compile(const char *const *lexicon_paths, gsize n_lexicons,
                                      const char *hmm_path, const char *out_path,
                                      GError **error);

/* Maps and validates an image. `path` NULL means the default image, found by
 * zhseg_find_data_file(NULL, "ZHSEG_DICT", ZHSEG_DEFAULT_DICT_NAME).
 * Open maps the image and checks its structure (magic, version, byte order,
 * section bounds, counts, character ids) without reading the trie, so it
 * takes well under a millisecond; walks bound-check every trie step, so a
 * damaged trie gives wrong words, never a crash. The whole-image checksum
 * is checked by zhseg_dict_verify() (`zhseg dict info`). */
ZHSEG_API ZhsegDict *zhseg_dict_open(const char *path, GError **error);

/* Like zhseg_dict_open(), then overlays user dictionaries (text lexicons,
 * same format as above, NULL-terminated list, may be NULL or empty).
 * Frequencies: see zhseg_dict_new_overlay(). */
ZHSEG_API ZhsegDict *zhseg_dict_open_with_user(const char *path,
                                               const char *const *user_dict_paths,
                                               GError **error);

/* A new dictionary: `base` plus the user entries in `text` (lexicon format),
 * without recompiling `base`. `source_name` names the text in error messages
 * ("file:line: ..."). The result holds a reference to `base`.
 *
 * How a user entry's frequency combines with the default dictionary:
 *  - with an explicit frequency f, the word's frequency becomes f (replacing
 *    the base's, if the base has the word); the totals are not changed, so
 *    every other word keeps its probability. f = 0 removes the word.
 *  - without a frequency, the word gets max(base frequency, F) where F is the
 *    smallest frequency that makes the word outscore the best split of itself
 *    into base words by a factor of e (so it wins where it stands alone and
 *    loses only where its neighbours form much likelier words).
 *  - without a tag, the base's tag if the base has the word, else "n" for a
 *    word with Han characters and "eng" for any other.
 * A user word may contain Latin letters, digits, spaces, hyphens, `+`, `#`. */
ZHSEG_API ZhsegDict *zhseg_dict_new_overlay(ZhsegDict *base, const char *text, gssize len,
                                            const char *source_name, GError **error);

ZHSEG_API ZhsegDict *zhseg_dict_ref(ZhsegDict *dict);
ZHSEG_API void zhseg_dict_unref(ZhsegDict *dict);

/* Recomputes the whole-image checksum (XXH3-64) and compares it with the
 * header's. */
ZHSEG_API gboolean zhseg_dict_verify(const ZhsegDict *dict, GError **error);

/* Path of the mapped image. */
ZHSEG_API const char *zhseg_dict_path(const ZhsegDict *dict);
/* Number of distinct words (base image plus overlays, less removed words). */
ZHSEG_API gsize zhseg_dict_n_words(const ZhsegDict *dict);
/* Sum of the base image's frequencies (the denominator of log-probabilities). */
ZHSEG_API double zhseg_dict_total_freq(const ZhsegDict *dict);
/* Size of the mapped image in bytes, and its stored checksum. */
ZHSEG_API gsize zhseg_dict_image_size(const ZhsegDict *dict);
ZHSEG_API guint64 zhseg_dict_checksum(const ZhsegDict *dict);
/* TRUE when the image holds HMM tables. */
ZHSEG_API gboolean zhseg_dict_has_hmm(const ZhsegDict *dict);

/* Exact lookup. On a hit, stores the word's frequency and POS tag (a static or
 * dict-owned string; "" when it has none) where the pointers are not NULL. */
ZHSEG_API gboolean zhseg_dict_lookup(const ZhsegDict *dict, const char *word, gssize len,
                                     double *freq, const char **tag);

/* Called once per dictionary word that is a prefix of the text, shortest
 * first, with its length in bytes; return FALSE to stop the walk. */
typedef gboolean (*ZhsegPrefixFunc)(gsize byte_len, double freq, const char *tag,
                                    gpointer user_data);

/* All dictionary words that start at utf8[0]. Returns the number reported. */
ZHSEG_API gsize zhseg_dict_walk_prefixes(const ZhsegDict *dict, const char *utf8, gsize len,
                                         ZhsegPrefixFunc func, gpointer user_data);

/* -------------------------------------------------------------- segmenter */

typedef enum {
  ZHSEG_MODE_PRECISE, /* the most probable segmentation (default) */
  ZHSEG_MODE_SEARCH,  /* precise tokens plus the 2- and 3-character dictionary
                         words inside longer tokens, for indexing */
  ZHSEG_MODE_FULL,    /* every dictionary word found, overlapping */
} ZhsegMode;

typedef enum {
  ZHSEG_TOKEN_WORD,    /* Han (CJK) text */
  ZHSEG_TOKEN_LATIN,   /* Latin letters, possibly with digits (APP, 5G, COVID-19, C++) */
  ZHSEG_TOKEN_NUMBER,  /* digits, with decimal point, percent sign, or a date
                          unit such as 年/月/日 attached (3.5, 45%, 2018年) */
  ZHSEG_TOKEN_PUNCT,   /* punctuation; a run of one repeated mark (——, ……) is one token */
  ZHSEG_TOKEN_SPACE,   /* white space, line breaks included */
  ZHSEG_TOKEN_SYMBOL,  /* other characters: symbols, emoji, letters of other scripts */
  ZHSEG_TOKEN_INVALID, /* bytes that are not valid UTF-8, one token per bad sequence */
} ZhsegTokenType;

enum {
  ZHSEG_TOKEN_FLAG_HMM = 1 << 0,     /* word recovered by the HMM */
  ZHSEG_TOKEN_FLAG_USER = 1 << 1,    /* word from a user dictionary */
  ZHSEG_TOKEN_FLAG_SUBWORD = 1 << 2, /* search/full mode: word inside another token */
};

typedef struct {
  gsize start;  /* byte offset of the token in the caller's buffer */
  gsize end;    /* byte offset just past it (half-open) */
  gsize cstart; /* character (code point) offset; an invalid byte counts as one */
  gsize cend;
  guint16 tag;  /* POS tag id; zhseg_dict_tag_name() gives its name */
  guint8 type;  /* ZhsegTokenType */
  guint8 flags; /* ZHSEG_TOKEN_FLAG_* */
} ZhsegToken;

/* Name of a POS tag id ("n", "v", "nr", ...; "" for none). */
ZHSEG_API const char *zhseg_dict_tag_name(const ZhsegDict *dict, guint tag);
/* Name of a token type ("word", "latin", "number", "punct", "space", "symbol", "invalid"). */
ZHSEG_API const char *zhseg_token_type_name(ZhsegTokenType type);

typedef struct ZhsegSegmenter ZhsegSegmenter;

enum {
  ZHSEG_SEGMENTER_NO_HMM = 1 << 0,    /* do not recover unknown words with the HMM */
  /* Decode the HMM exactly as jieba does. By default one rule departs from
   * it: a character that is itself a very frequent word (probability above
   * 1/2000, such as 的 了 是 在 这) is never glued into an unknown word. */
  ZHSEG_SEGMENTER_JIEBA_HMM = 1 << 1,
};

/* A segmenter over `dict` (it takes a reference). `flags`: ZHSEG_SEGMENTER_*. */
ZHSEG_API ZhsegSegmenter *zhseg_segmenter_new(ZhsegDict *dict, ZhsegMode mode, guint flags);
ZHSEG_API void zhseg_segmenter_free(ZhsegSegmenter *seg);
ZHSEG_API ZhsegDict *zhseg_segmenter_get_dict(const ZhsegSegmenter *seg);

/* Segments `len` bytes of UTF-8 and APPENDS the tokens to `tokens`, a GArray of
 * ZhsegToken owned by the caller (create it with
 * g_array_new(FALSE, FALSE, sizeof(ZhsegToken)) and reuse it between calls:
 * no allocation happens per token). Offsets are relative to `utf8`. In
 * precise mode the tokens tile the input: each starts where the previous one
 * ended. Never fails: invalid UTF-8 becomes ZHSEG_TOKEN_INVALID tokens.
 * Returns the number of tokens appended. */
ZHSEG_API gsize zhseg_segmenter_cut(ZhsegSegmenter *seg, const char *utf8, gsize len,
                                    GArray *tokens);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegDict, zhseg_dict_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegSegmenter, zhseg_segmenter_free)

/* ------------------------------------------------------------- normalizer */

/* Turns bytes as they arrive (any of UTF-8 with or without BOM, UTF-16 with
 * BOM, GB18030/GBK/GB2312, Big5; CRLF; traditional characters; hard-wrapped
 * newspaper columns; PDF fake-bold doubled captions) into clean UTF-8 for the
 * segmenter, with a map from every normalized character back to the byte span
 * of the input it came from. Steps, each of which can be turned off:
 *  1. decode (the encoding is detected unless set; undecodable bytes become
 *     U+FFFD, are counted with their offsets, or are an error in strict mode);
 *  2. NFKC (full-width letters and digits to ASCII, ℃ -> °C, … -> ...), then
 *     ASCII , : ; ! ? ( ) next to Chinese text folded to full width, so
 *     "社区,居民" and "社区，居民" normalize alike (1,000 and 10:30 stay);
 *  3. traditional -> simplified (off, on, or auto: per paragraph, when it
 *     holds more traditional-only than simplified-only characters);
 *  4. layout: CRLF/CR -> LF, spaces between Han characters dropped, and the
 *     line breaks of hard-wrapped text joined (auto detects columns of one
 *     width; one sentence or paragraph per line is left alone);
 *  5. repeated runs of 4..64 characters (2 or 3 copies) and doubled `。。`
 *     reduced to one copy, in linear time.
 * A character that NFKC expands (℃ -> °C) gives every character of its
 * expansion the span of the one original character.
 *
 * A ZhsegNormalizer holds options, scratch buffers and stream state: use one
 * per thread. A ZhsegNormalized is an immutable result, owned by the caller;
 * it may be read and freed on any thread, and may outlive its normalizer. */

typedef struct ZhsegNormalizer ZhsegNormalizer;
typedef struct ZhsegNormalized ZhsegNormalized;

typedef enum {
  ZHSEG_T2S_OFF,  /* keep traditional characters (default) */
  ZHSEG_T2S_ON,   /* convert every traditional character */
  ZHSEG_T2S_AUTO, /* convert the paragraphs that are written in traditional */
} ZhsegT2sMode;

typedef enum {
  ZHSEG_JOIN_AUTO,   /* join the wraps of text detected as hard-wrapped (default) */
  ZHSEG_JOIN_ALWAYS, /* join every line break that does not end a sentence */
  ZHSEG_JOIN_NEVER,  /* keep every line break */
} ZhsegJoinMode;

/* What the normalizer changed; counts are for one result, or for the whole
 * stream with zhseg_normalizer_get_stats(). Offsets are of the input file. */
#define ZHSEG_NORMALIZE_MAX_OFFSETS 16
typedef struct {
  const char *encoding;    /* converter name used ("UTF-8", "GB18030", ...): static, or the
                              forced name, owned by the normalizer */
  gboolean bom;            /* a byte-order mark was stripped */
  guint64 n_bytes;         /* input bytes */
  guint64 n_chars;         /* normalized characters */
  guint64 n_invalid;       /* undecodable byte sequences (each became U+FFFD) */
  guint64 invalid_offsets[ZHSEG_NORMALIZE_MAX_OFFSETS]; /* first ones, byte offsets */
  guint n_invalid_offsets;
  guint64 n_nfkc;          /* characters (or sequences) NFKC changed */
  guint64 n_punct_folded;  /* ASCII marks folded to full width (a full-width
                              mark that NFKC and folding leave as it was
                              counts in neither) */
  guint64 n_crlf;          /* CR LF or CR turned into LF */
  guint64 n_lines_joined;  /* line breaks joined */
  guint64 n_runs_dedup;    /* repeated runs reduced to one copy */
  guint64 n_punct_dedup;   /* doubled sentence marks reduced to one */
  guint64 n_t2s;           /* traditional characters converted */
} ZhsegNormalizeStats;

/* A normalizer with the default options (detect the encoding, lenient, NFKC
 * and punctuation folding on, t2s off, join-lines auto, dedup on). */
ZHSEG_API ZhsegNormalizer *zhseg_normalizer_new(void);
ZHSEG_API void zhseg_normalizer_free(ZhsegNormalizer *norm);

/* Forces an input encoding (any ICU converter name: "UTF-8", "GB18030",
 * "GBK", "Big5", "UTF-16LE", ...), or NULL to detect it. FALSE with
 * ZHSEG_ERROR_INVALID when ICU does not know the name. */
ZHSEG_API gboolean zhseg_normalizer_set_encoding(ZhsegNormalizer *norm, const char *encoding,
                                                 GError **error);
/* Strict: undecodable bytes are an error (ZHSEG_ERROR_ENCODING, with the
 * byte offset) instead of U+FFFD. */
ZHSEG_API void zhseg_normalizer_set_strict(ZhsegNormalizer *norm, gboolean strict);
ZHSEG_API void zhseg_normalizer_set_nfkc(ZhsegNormalizer *norm, gboolean nfkc);
ZHSEG_API void zhseg_normalizer_set_fold_punct(ZhsegNormalizer *norm, gboolean fold);
ZHSEG_API void zhseg_normalizer_set_t2s(ZhsegNormalizer *norm, ZhsegT2sMode mode);
ZHSEG_API void zhseg_normalizer_set_join_lines(ZhsegNormalizer *norm, ZhsegJoinMode mode);
ZHSEG_API void zhseg_normalizer_set_dedup(ZhsegNormalizer *norm, gboolean dedup);

/* Normalizes a whole input (a file's bytes). Starts a new stream, so it does
 * not depend on earlier calls. Returns a new result (zhseg_normalized_free),
 * or NULL on error (strict mode, ICU failure). One call takes less than 4 GiB;
 * feed larger inputs in chunks. */
ZHSEG_API ZhsegNormalized *zhseg_normalizer_run(ZhsegNormalizer *norm, const char *bytes, gsize len,
                                               GError **error);

/* Streaming: zhseg_normalizer_begin() starts a stream at file offset
 * `base_offset` (usually 0); each zhseg_normalizer_feed() takes the next chunk
 * of the file and returns its result, with offsets relative to the file. The
 * encoding is detected on the first chunk and kept for the rest. Chunks cut
 * with zhseg_normalizer_safe_split() give exactly the text that normalizing the
 * whole file at once gives.
 *
 * Memory: a result and its offset map hold 12-18 bytes per input byte on the
 * general path (GB18030, Big5, UTF-16, traditional text). A freed result's
 * large blocks go back to the normalizer that made it, which keeps up to
 * 64 MiB of them for its next results and frees them with itself: without
 * that, glibc would hand blocks that large back to the kernel and each
 * chunk would fault its pages in again (measured: GB18030 at a quarter of
 * the speed). A result may be freed on any thread, before or after its
 * normalizer. */
ZHSEG_API void zhseg_normalizer_begin(ZhsegNormalizer *norm, guint64 base_offset);
/* The encoding this stream uses: the forced one, else the one detected on
 * `bytes` (the start of the input), which is then kept until the next
 * begin/run. Call it before zhseg_normalizer_safe_split() on the first chunk;
 * zhseg_normalizer_feed() calls it itself. Returns a static name, or the
 * forced one (owned by the normalizer). */
ZHSEG_API const char *zhseg_normalizer_detect(ZhsegNormalizer *norm, const char *bytes, gsize len);
ZHSEG_API ZhsegNormalized *zhseg_normalizer_feed(ZhsegNormalizer *norm, const char *bytes, gsize len,
                                                GError **error);
/* Counts over the stream since zhseg_normalizer_begin() (or the last run). */
ZHSEG_API const ZhsegNormalizeStats *zhseg_normalizer_get_stats(const ZhsegNormalizer *norm);

/* Where to cut `bytes` (encoded in `encoding`, NULL for UTF-8 or
 * unknown-but-ASCII-compatible) so that the chunk is normalized as it would be
 * inside the whole: returns the length of the longest prefix ending with a
 * line break after a sentence end (。！？；… or .!?; maybe closed by quotes).
 * Returns 0 when there is none; with `force`, then falls back to the last
 * line break, then to the last character boundary. Never cuts a character. */
ZHSEG_API gsize zhseg_normalizer_safe_split(const char *bytes, gsize len, const char *encoding,
                                            gboolean force);

/* The normalized UTF-8 text (NUL-terminated; its length stored in *len when
 * not NULL). Owned by the result. */
ZHSEG_API const char *zhseg_normalized_text(const ZhsegNormalized *res, gsize *len);
ZHSEG_API const ZhsegNormalizeStats *zhseg_normalized_stats(const ZhsegNormalized *res);

/* Maps the normalized half-open byte span [start, end) (character boundaries
 * of the normalized text) to the half-open byte span of the input file it came
 * from, and to the character span of the decoded input (an undecodable
 * sequence counts as one character). Any out pointer may be NULL. An empty
 * span maps to an empty span at the original position. */
ZHSEG_API void zhseg_normalized_map_span(const ZhsegNormalized *res, gsize start, gsize end,
                                         guint64 *orig_start, guint64 *orig_end,
                                         guint64 *orig_cstart, guint64 *orig_cend);
/* Original byte offset of normalized byte offset `offset` (the start of the
 * span of the character there; the end of the input at the end). */
ZHSEG_API guint64 zhseg_normalized_orig_offset(const ZhsegNormalized *res, gsize offset);
/* Original character offset (of the decoded input) of normalized byte offset. */
ZHSEG_API guint64 zhseg_normalized_orig_char(const ZhsegNormalized *res, gsize offset);
/* 1-based line and column (in characters of the decoded input) of the
 * original position of normalized byte offset `offset`, counted from the
 * start of the stream (a line ends at LF; CR LF counts once). */
ZHSEG_API void zhseg_normalized_orig_line_col(const ZhsegNormalized *res, gsize offset, guint64 *line,
                                              guint64 *column);
/* FALSE when `offset` falls inside the expansion of one original character
 * (between ° and C of ℃ -> °C): no token boundary belongs there. */
ZHSEG_API gboolean zhseg_normalized_is_boundary(const ZhsegNormalized *res, gsize offset);
/* TRUE when the normalizer joined a line break inside the span. */
ZHSEG_API gboolean zhseg_normalized_span_joined(const ZhsegNormalized *res, gsize start, gsize end);
/* The span as it stands in the input (decoded to UTF-8: traditional stays
 * traditional, full-width stays full-width), less any line break joined and
 * any repeated copy removed inside it. Returns a new string (g_free). */
ZHSEG_API char *zhseg_normalized_original_text(const ZhsegNormalized *res, gsize start, gsize end,
                                               gsize *len);
/* Rewrites tokens[first..] (offsets into this result's text, as the segmenter
 * gives them) into offsets of the input file: start/end become original byte
 * offsets, cstart/cend original character offsets. Tokens whose boundary falls
 * inside one expansion are merged. Returns the new number of tokens in the
 * array. */
ZHSEG_API guint zhseg_normalized_map_tokens(const ZhsegNormalized *res, GArray *tokens, guint first);

ZHSEG_API void zhseg_normalized_free(ZhsegNormalized *res);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegNormalizer, zhseg_normalizer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegNormalized, zhseg_normalized_free)

/* ------------------------------------------------------------- statistics */
/*
 * Term statistics over a collection of articles (stats/).
 *
 *   ZhsegTermLexicon  Terms grouped in concepts (`term<TAB>concept` lines).
 *   ZhsegStopwords    A set of words never counted as content words.
 *   ZhsegIdf          An IDF table (jieba's idf.txt format: `word idf` lines).
 *                     These three are immutable once loaded and may be shared
 *                     by any number of threads.
 *   ZhsegCorpus       Collects counts. zhseg_corpus_count() is thread safe and
 *                     turns one article's tokens into a ZhsegDocCounts;
 *                     zhseg_corpus_add() (also thread safe) merges it. Counts
 *                     are sums, and articles are kept in the order of the
 *                     `index` the caller gives, so the results do not depend
 *                     on the order in which threads finish.
 *   ZhsegStats        The results computed from a corpus: per-term counts and
 *                     rankings, concepts, co-occurring pairs with association
 *                     measures, keyness. Immutable; its arrays and strings
 *                     belong to it (concept names to the lexicon).
 *
 * What is counted. Tokens are a precise-mode segmentation (tokens flagged
 * ZHSEG_TOKEN_FLAG_SUBWORD, from search mode, are counted as terms too but do
 * not enter windows, sentences or token totals). An article's `tokens` are its
 * non-space, non-punctuation tokens. A content word is a WORD or LATIN token of
 * at least two characters whose POS tag is in the content tag set and that is
 * not a stop word (jieba's TextRank filter); every lexicon term is a term
 * whatever its tag. Sentences end at 。！？；!?; and at line breaks between
 * paragraphs (two or more).
 *
 * Lexicon terms. A lexicon term's `count` is the number of its occurrences
 * inside single tokens: as a whole token, or inside a longer token (网格 in
 * 网格员, 党建 in 基层党建); an occurrence that straddles a token boundary
 * does not count. `token_count` counts whole tokens only. A concept's count
 * counts each place once: inside a token, the longest of its terms wins and
 * occurrences of its other terms overlapping it are not counted again.
 */

/* (Named ZhsegTermLexicon, not ZhsegLexicon: "lexicon" in the dictionary
 * section means a word list to compile.) */
typedef struct ZhsegTermLexicon ZhsegTermLexicon;

/* Loads a lexicon: `name_or_path` is a file path when it names an existing
 * file or contains a '/', else a bundled lexicon `lexicons/NAME.txt` found by
 * zhseg_find_data_file(NULL, NULL, "lexicons/NAME.txt"). */
ZHSEG_API ZhsegTermLexicon *zhseg_term_lexicon_load(const char *name_or_path, GError **error);
/* Parses lexicon text (`term<TAB>concept` per line, `#` comments, blank lines
 * ignored; a line without a TAB gives a term without concept). A term listed
 * twice keeps its last concept. `source_name` is used in error messages. */
ZHSEG_API ZhsegTermLexicon *zhseg_term_lexicon_new_from_text(const char *text, gssize len,
                                                            const char *source_name,
                                                            GError **error);
ZHSEG_API void zhseg_term_lexicon_free(ZhsegTermLexicon *lex);
ZHSEG_API gsize zhseg_term_lexicon_n_terms(const ZhsegTermLexicon *lex);
/* Term `i` (in file order); stores its concept ("" for none) in *concept. */
ZHSEG_API const char *zhseg_term_lexicon_term(const ZhsegTermLexicon *lex, gsize i,
                                              const char **concept);
/* The lexicon's terms as user-dictionary text for zhseg_dict_new_overlay()
 * (one term per line, no frequency or tag), so that they come out whole.
 * g_free the result. */
ZHSEG_API char *zhseg_term_lexicon_user_dict_text(const ZhsegTermLexicon *lex);

typedef struct ZhsegStopwords ZhsegStopwords;

/* An empty set. */
ZHSEG_API ZhsegStopwords *zhseg_stopwords_new(void);
/* Adds the words of a file (one per line, `#` comments): a path, or a bundled
 * list `stopwords/NAME.txt` ("zh" is stopwords-iso's Chinese list). */
ZHSEG_API gboolean zhseg_stopwords_add_file(ZhsegStopwords *sw, const char *name_or_path,
                                            GError **error);
ZHSEG_API void zhseg_stopwords_add(ZhsegStopwords *sw, const char *word, gssize len);
ZHSEG_API void zhseg_stopwords_remove(ZhsegStopwords *sw, const char *word, gssize len);
ZHSEG_API gboolean zhseg_stopwords_contains(const ZhsegStopwords *sw, const char *word,
                                            gssize len);
ZHSEG_API gsize zhseg_stopwords_size(const ZhsegStopwords *sw);
ZHSEG_API void zhseg_stopwords_free(ZhsegStopwords *sw);

typedef struct ZhsegIdf ZhsegIdf;

/* Loads an IDF table (`word idf` per line). `path` NULL means jieba's table,
 * found by zhseg_find_data_file(NULL, "ZHSEG_IDF", "jieba/idf.txt"). */
ZHSEG_API ZhsegIdf *zhseg_idf_load(const char *path, GError **error);
ZHSEG_API void zhseg_idf_free(ZhsegIdf *idf);
/* The word's IDF, or the table's median for a word it does not hold (jieba's
 * rule). */
ZHSEG_API double zhseg_idf_lookup(const ZhsegIdf *idf, const char *word, gssize len);

typedef struct ZhsegCorpus ZhsegCorpus;
typedef struct ZhsegDocCounts ZhsegDocCounts;

/* A corpus collecting counts of tokens made with `dict` (for tag names; it
 * takes a reference). `lexicon` and `stopwords` may be NULL; they must outlive
 * the corpus and every ZhsegStats made from it. */
ZHSEG_API ZhsegCorpus *zhseg_corpus_new(ZhsegDict *dict, const ZhsegTermLexicon *lexicon,
                                        const ZhsegStopwords *stopwords);
ZHSEG_API void zhseg_corpus_free(ZhsegCorpus *corpus);
/* Settings; call them before counting. Content tags: a comma-separated list of
 * POS tags (default "n,nr,ns,nt,nz,nw,vn,v,an,i,l,j,eng"); a tag "x" or
 * empty tag on an HMM-recovered word counts as "n". */
ZHSEG_API gboolean zhseg_corpus_set_content_tags(ZhsegCorpus *corpus, const char *tags,
                                                 GError **error);
/* Co-occurrence window: content words at most `window` positions apart in an
 * article's content-word sequence (default 5). */
ZHSEG_API void zhseg_corpus_set_window(ZhsegCorpus *corpus, guint window);
/* TextRank window as jieba's `span` over the token sequence (default 5). */
ZHSEG_API void zhseg_corpus_set_textrank_window(ZhsegCorpus *corpus, guint span);

/* Counts one article: `text` is what was segmented and `tokens` its tokens.
 * Thread safe; the result is the caller's until given to zhseg_corpus_add(). */
ZHSEG_API ZhsegDocCounts *zhseg_corpus_count(const ZhsegCorpus *corpus, const char *text,
                                             gsize len, const ZhsegToken *tokens,
                                             gsize n_tokens);
ZHSEG_API void zhseg_doc_counts_free(ZhsegDocCounts *doc);
/* Number of tokens counted in the article (non-space, non-punctuation). */
ZHSEG_API guint64 zhseg_doc_counts_tokens(const ZhsegDocCounts *doc);

/* Merges `doc` (taken over and freed) as article number `index`: articles are
 * reported in increasing `index` order whatever the order of the calls. `id`
 * and `path` (may be NULL) are copied. Thread safe. Returns FALSE with
 * ZHSEG_ERROR_INVALID when `index` was already used. */
ZHSEG_API gboolean zhseg_corpus_add(ZhsegCorpus *corpus, guint index, const char *id,
                                    const char *path, ZhsegDocCounts *doc, GError **error);
ZHSEG_API guint zhseg_corpus_n_articles(const ZhsegCorpus *corpus);

typedef enum {
  ZHSEG_IDF_TABLE,      /* IDF from a ZhsegIdf table (jieba's by default) */
  ZHSEG_IDF_COLLECTION, /* ln((1 + N) / (1 + df)) + 1 over the collection's N articles */
} ZhsegIdfSource;

typedef enum {
  ZHSEG_RANK_COUNT,
  ZHSEG_RANK_DF,
  ZHSEG_RANK_TFIDF,
  ZHSEG_RANK_TEXTRANK,
  ZHSEG_RANK_KEYNESS, /* signed G² against the reference collection */
} ZhsegRankBy;

typedef enum {
  ZHSEG_COOC_WINDOW,   /* within ±window content words */
  ZHSEG_COOC_SENTENCE, /* within one sentence (counted once per sentence) */
} ZhsegCoocScope;

/* Keyness of a term in a target (one article, or the collection) against a
 * reference (the other articles, or the reference collection). */
typedef struct {
  guint64 freq;       /* occurrences in the target */
  guint64 ref_freq;   /* occurrences in the reference */
  double g2;          /* log-likelihood G², negative when relatively rarer in the target */
  double p;           /* p-value of G² (chi-square, 1 degree of freedom) */
  double log_ratio;   /* log2 of the ratio of relative frequencies (0.5 for a zero count) */
  guint32 df;         /* target articles holding the term */
  guint32 ref_df;     /* reference articles holding it */
  double df_log_ratio;/* log2 of the ratio of document proportions (0.5 for a zero df) */
  double df_g2;       /* signed G² over article counts (holding / not holding the term) */
} ZhsegKeyness;

typedef struct {
  const char *term;
  const char *concept;  /* lexicon concept, NULL when not a lexicon term */
  guint64 count;        /* see "Lexicon terms" above; token_count for other terms */
  guint64 token_count;  /* occurrences as a whole token */
  guint32 df;           /* articles with count > 0 */
  double per_10k;       /* count per 10,000 tokens of the collection */
  double idf;
  double tfidf;         /* count / tokens × idf */
  double textrank;      /* jieba's TextRank over the collection's window graph, max 1 */
  gboolean content;     /* passes the content-word filter (lexicon terms may not) */
  ZhsegKeyness key;     /* against the reference collection; all 0 without one */
} ZhsegTermStats;

typedef struct {
  const char *concept;
  guint64 count;        /* places, each counted once */
  guint32 df;
  guint32 n_terms;      /* lexicon terms in the concept */
} ZhsegConceptStats;

typedef struct {
  guint32 a, b;         /* indices into the terms, term a < term b (byte order) */
  ZhsegCoocScope scope;
  guint64 joint;        /* co-occurrences */
  guint64 fa, fb;       /* marginals: sentences holding the term (sentence scope),
                           or the term's pair total (window scope) */
  guint64 n;            /* sentences, or all window pairs */
  double pmi, npmi, g2, log_dice;
} ZhsegPairStats;

typedef struct ZhsegStats ZhsegStats;

/* Computes the results. `idf` is used with ZHSEG_IDF_TABLE (NULL: jieba's
 * table is loaded). `reference` (may be NULL) is a corpus counted with the
 * same settings; the terms get keyness against it. Pairs with fewer than
 * `min_pair_count` co-occurrences are dropped. */
ZHSEG_API ZhsegStats *zhseg_corpus_compute(ZhsegCorpus *corpus, const ZhsegCorpus *reference,
                                           ZhsegIdfSource idf_source, const ZhsegIdf *idf,
                                           guint min_pair_count, GError **error);
ZHSEG_API void zhseg_stats_free(ZhsegStats *stats);

ZHSEG_API guint zhseg_stats_n_articles(const ZhsegStats *stats);
ZHSEG_API const char *zhseg_stats_article_id(const ZhsegStats *stats, guint article);
ZHSEG_API const char *zhseg_stats_article_path(const ZhsegStats *stats, guint article);
ZHSEG_API guint64 zhseg_stats_article_tokens(const ZhsegStats *stats, guint article);
ZHSEG_API guint64 zhseg_stats_total_tokens(const ZhsegStats *stats);

/* Terms (content words and lexicon terms), in byte order of the term. */
ZHSEG_API const ZhsegTermStats *zhseg_stats_terms(const ZhsegStats *stats, gsize *n_terms);
/* Index of `term`, or -1. */
ZHSEG_API gssize zhseg_stats_find_term(const ZhsegStats *stats, const char *term);
/* Term indices ranked by `by`, highest first, ties by term. g_free the array. */
ZHSEG_API guint32 *zhseg_stats_rank(const ZhsegStats *stats, ZhsegRankBy by, gsize *n);
/* A term's count in one article (0 when absent). */
ZHSEG_API guint64 zhseg_stats_term_count_in(const ZhsegStats *stats, gsize term, guint article);

/* Concepts in lexicon order, and a concept's count in one article. */
ZHSEG_API const ZhsegConceptStats *zhseg_stats_concepts(const ZhsegStats *stats, gsize *n);
ZHSEG_API guint64 zhseg_stats_concept_count_in(const ZhsegStats *stats, gsize concept,
                                               guint article);

/* Pairs of one scope with joint >= min_pair_count, by G² (highest first), ties
 * by terms. */
ZHSEG_API const ZhsegPairStats *zhseg_stats_pairs(const ZhsegStats *stats, ZhsegCoocScope scope,
                                                  gsize *n);

/* Keyness of term `term` in one article against the rest of the collection
 * (computed on demand into *out). */
ZHSEG_API void zhseg_stats_article_keyness(const ZhsegStats *stats, guint article, gsize term,
                                           ZhsegKeyness *out);
/* The terms of one article ranked by keyness against the rest (signed G²,
 * highest first, ties by term); only terms present in the article. g_free. */
ZHSEG_API guint32 *zhseg_stats_article_key_terms(const ZhsegStats *stats, guint article,
                                                 gsize *n);
/* TRUE when the terms carry keyness against a reference collection. */
ZHSEG_API gboolean zhseg_stats_has_reference(const ZhsegStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegTermLexicon, zhseg_term_lexicon_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegStopwords, zhseg_stopwords_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegIdf, zhseg_idf_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegCorpus, zhseg_corpus_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegDocCounts, zhseg_doc_counts_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZhsegStats, zhseg_stats_free)

G_END_DECLS

#endif /* ZHSEG_H */
