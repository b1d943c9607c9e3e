zhseg_test(dict test_dict.c)
