package knowledge

import (
	"testing"
)

func TestLoadFolder(t *testing.T) {
	f, err := LoadFolder("testdata/folder/good")
	if err != nil {
		t.Fatal(err)
	}
	if f.File.Title != "Billing" || len(f.File.Entries) != 2 || len(f.File.Synonyms) != 1 {
		t.Errorf("merged file: %+v", f.File)
	}
	if f.Of["refund"] != "testdata/folder/good/a-billing.yaml" || f.Of["shipping"] != "testdata/folder/good/b-shipping.yaml" {
		t.Errorf("entry files: %v", f.Of)
	}
}

func TestLoadFolderErrors(t *testing.T) {
	tests := []struct {
		dir, want string
	}{
		{"testdata/folder/clash", `testdata/folder/clash/b.yaml: language "de" differs from a.yaml's "en": the files of a folder are one knowledge base, in one language
testdata/folder/clash/b.yaml:4: entry "refund": the id is also used in testdata/folder/clash/a.yaml:4; ids must be unique across the folder
testdata/folder/clash/b.yaml:7: entry "money-back": "can i get a REFUND" is also a phrasing of "refund" in testdata/folder/clash/a.yaml:4; a phrasing must lead to one entry`},
		{"testdata/folder", "testdata/folder: the folder holds no knowledge file (.yaml, .yml or .json)"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			_, err := LoadFolder(tt.dir)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}
