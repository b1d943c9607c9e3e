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
 * Structure is checked at open (magic, version, byte order, section bounds,
 * trie invariants needed for memory safety); the whole-image checksum is
 * checked by zhseg_dict_verify(). */
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
/* (see tokenizer/normalize*.c) */

/* ------------------------------------------------------------- statistics */
/* (see stats/) */

G_END_DECLS

#endif /* ZHSEG_H */
