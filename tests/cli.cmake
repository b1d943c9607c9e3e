zhseg_test(cli test_cli.c TIMEOUT 900)
add_dependencies(test_cli zhseg_cli)
