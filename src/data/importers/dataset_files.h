// Finding the files of a dataset inside a folder: which .txt is an S3-Rec sequence file, the
// prefix of a UniSRec dataset, the folder of a MovieLens release, the one data file of a
// single-file dataset. Shared by format detection and the directory importers.
// Internal to the importers. Pure functions over the file system.
#ifndef TAILOR_DATA_IMPORTERS_DATASET_FILES_H_
#define TAILOR_DATA_IMPORTERS_DATASET_FILES_H_

#include <string>
#include <vector>

#include "tailor/status.h"

namespace tailor {

// Regular files directly in `dir`, sorted by name (full paths).
std::vector<std::string> ListFiles(const std::string& dir);

// `path` joined with `name` ("dir/name").
std::string JoinPath(const std::string& dir, const std::string& name);

// The first non-blank line of a file (plain or .xz), at most 64 KiB of it; "" when the file
// has none or cannot be read.
std::string FirstLine(const std::string& path);

// True when `line` is whitespace-separated integers, at least two of them.
bool IsIntegerSequenceLine(const std::string& line);

// The S3-Rec sequence file in `dir`: <Name>.txt beside <Name>_item2attributes.json, else the
// one .txt whose first line is integers (not *_user_sequence.txt). Errors: kNotFound when there
// is none, kInvalidArgument when several qualify.
StatusOr<std::string> FindS3RecSequenceFile(const std::string& dir);

// "<dir>/<Name>" for the <Name>.train.inter in `dir`. Errors: kNotFound / kInvalidArgument.
StatusOr<std::string> FindUniSRecPrefix(const std::string& dir);

// `dir` when it holds u.data, else its one subfolder that does (ml-100k inside a dataset
// folder). Errors: kNotFound.
StatusOr<std::string> FindMovieLensDir(const std::string& dir);

// The data files (.csv, .tsv, .jsonl, .json, .txt, .dat or any of them .xz) in `dir`, sorted,
// ignoring README/LICENSE/SOURCE and hidden files.
std::vector<std::string> DataFiles(const std::string& dir);

// The one file of DataFiles(dir). Errors: kNotFound when none, kInvalidArgument listing them
// when several.
StatusOr<std::string> SingleDataFile(const std::string& dir);

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_DATASET_FILES_H_
