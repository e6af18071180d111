// Package convert turns FAQs kept in other formats into knowledge files,
// and writes knowledge files in some of those formats.
//
// Import (import.go) picks the format by the file's extension and content
// and hands the document to its reader. Each document format has one
// reader, which makes a document (import_doc.go: a title and a flat run of
// headings, questions and answer text, each with its line):
// import_doc_markdown.go reads Markdown, and MDX with import_doc_mdx.go;
// import_doc_html.go HTML pages, with their schema.org JSON-LD;
// import_doc_asciidoc.go AsciiDoc; import_doc_rst.go reStructuredText,
// with import_doc_rst_table.go for its tables; import_doc_wiki.go MediaWiki
// and DokuWiki; import_doc_org.go Org-mode; import_doc_textile.go Textile;
// import_doc_text.go plain text; and import_doc_data.go structured FAQ data
// in YAML, JSON or JSON Lines. The forms a question takes in any format
// ("Q:"/"A:" labels, bold lines, question-and-answer tables) and the
// clean-up of answer text and links are in import_doc_forms.go.
//
// One builder turns every reader's document into entries, in passes over
// its blocks (import_doc_build.go, which runs them in order):
// import_doc_promote.go makes questions of bold lines and of list items in
// emphasis, and joins runs of questions that share an answer;
// import_doc_clean.go takes the title and leaves out tables of contents,
// the sections about the document rather than its subject, and what a
// README holds outside its FAQ section;
// import_doc_tree.go arranges the blocks under their headings and decides
// which headings ask; import_doc_build.go then makes an entry of each
// question with its answer and section, in the document's language.
//
// Every importer shares the loader's limits (import_limits.go: what is too
// long is cut with a warning, never dropped), the import report and its
// summary line (import_report.go), the entries' ids (id.go, which
// romanizes Korean and Japanese with id_romanize.go, and names a question
// written in Chinese after its answer's Latin words) and the dates read
// from a document (import_date.go). The files
// of rows and items are read by import_qnamaker.go (QnA Maker TSV),
// import_qnabot.go (AWS QnABot JSON and JSON Lines), import_csv.go (CSV)
// and import_markdown.go (Markdown written by faqbot export); export.go
// writes those formats.
package convert
