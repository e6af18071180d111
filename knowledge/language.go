package knowledge

import (
	"fmt"
	"sort"
	"strings"
)

// languageCodes maps each name a knowledge file may give its language, the
// two-letter code or the English name, to the code. They are the languages
// of the Snowball stemmer; "" means English. Chinese, Japanese and Korean
// need no stemmer: the matcher reads their letters by pairs whatever the
// file's language, so naming them reads a file as English, whose are the
// Latin words among theirs.
func languageCodes() map[string]string {
	return map[string]string{
		"zh": "en", "chinese": "en", "ja": "en", "japanese": "en", "ko": "en", "korean": "en",
		"": "en", "en": "en", "english": "en",
		"es": "es", "spanish": "es",
		"fr": "fr", "french": "fr",
		"ru": "ru", "russian": "ru",
		"sv": "sv", "swedish": "sv",
		"no": "no", "nb": "no", "nn": "no", "norwegian": "no",
		"hu": "hu", "hungarian": "hu",
		"ar": "ar", "arabic": "ar",
		"da": "da", "danish": "da",
		"de": "de", "german": "de",
		"fi": "fi", "finnish": "fi",
		"ga": "ga", "irish": "ga",
		"it": "it", "italian": "it",
		"nl": "nl", "dutch": "nl",
		"pt": "pt", "portuguese": "pt",
		"ro": "ro", "romanian": "ro",
		"ta": "ta", "tamil": "ta",
		"tr": "tr", "turkish": "tr",
	}
}

// Languages returns the codes of the languages a knowledge file may name,
// sorted: those of the Snowball stemmer.
func Languages() []string {
	var codes []string
	for name, code := range languageCodes() {
		if name == code {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	return codes
}

// LanguageCode returns the code of the language named by name, such as "en",
// "en-GB" or "russian"; "" means English.
func LanguageCode(name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if i := strings.IndexAny(n, "-_"); i > 0 {
		n = n[:i] // a region such as en-GB stems as its language
	}
	code, ok := languageCodes()[n]
	if !ok {
		return "", fmt.Errorf("language %q is not supported: use one of %s", name, strings.Join(Languages(), ", "))
	}
	return code, nil
}
